"""A folium map rendered to text once, then drawn at every run by streamlit-folium's component.

`st_folium` renders its map to HTML and JavaScript at every run: for the Recherche's results map, half of a run
(≈ 17 of 34 ms, py-spy, 05/12/2026), even when the results have not changed (a fiche opened, a filter set back, the
second run after the sign-in). The page keeps a `Rendered` map per data version and search, shared by every session,
and `draw` hands it to the same component with the arguments `st_folium` would give it. Those arguments are
streamlit-folium's own (pinned in requirements.txt): tests/test_maps.py checks that `draw` sends exactly what
`st_folium` sends for the same map, so that an upgrade that changes them fails there, not in front of a person.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium as sf

RETURNED = ("last_object_clicked_tooltip",)  # what a click on the map tells the page (maps.clicked_finess)


@dataclass(frozen=True)
class Rendered:
    """What the component draws: the map's script, header and html, its id, the links of its scripts and styles,
    its widget's key in the page (`name`) and the key the component gets from its script."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    name: str
    key: str


def render(fmap: folium.Map, key: str) -> Rendered:
    """The text of `fmap`, as st_folium makes it (streamlit_folium.st_folium, up to the component call) — but for
    the whole page, which st_folium renders first and then reads only the map's part of."""
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)  # before _get_map_string, which changes the map's ids
    script = sf._get_map_string(fmap)
    css, js = [], []
    for element in _elements(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return Rendered(
        script=script,
        header=header,
        html=html,
        map_id=sf.get_full_id(fmap),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        name=key,
        key=sf.generate_js_hash(script, key, False),
    )


def _elements(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def draw(rendered: Rendered, *, height: int) -> dict:
    """Draw the map as wide as its column; returns the component's value (RETURNED of the last click)."""

    def remember() -> None:
        st.session_state[rendered.name] = st.session_state.get(rendered.key, {})

    return sf._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=rendered.key,
        height=height,
        width=None,
        returned_objects=list(RETURNED),
        default=dict.fromkeys(RETURNED),
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=remember,
        wrap_longitude=False,
    )
