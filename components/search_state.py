"""The state of the Recherche page: its widgets' keys, and the page URL that makes a search shareable.

Every criterion lives in st.session_state under a key of FIELDS and in the URL under its short name (the filters':
ror/recherche/filters.py); the URL is read once when the page opens, and rewritten after every run.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ror.recherche import search
from ror.recherche.filters import BY_NAME, FILTERS, URL_KINDS, Filters

# session_state key -> (URL parameter, kind): 'text', 'list', 'int', 'bool'; the filters' from their table
FIELDS = {
    "r_quoi": ("q", "text"),
    "r_termes": ("t", "list"),
    "r_rayon": ("rayon", "int"),
    "r_tri": ("tri", "text"),
    "r_territoire": ("terr", "bool"),
    **{f.key: (f.param, URL_KINDS[f.kind]) for f in FILTERS},
}
DEFAULTS = {"r_rayon": 20, "r_tri": "distance", "r_territoire": False, BY_NAME["ouvert"].key: False}
TYPED = ("r_quoi",)  # a field typed into: never told again (see load_from_url)
TOLD = "r_dits"  # the criteria the page set that their widget has not sent back yet (see load_from_url)
LOADED = "r_url_lu"
KEPT = "r_criteres"  # a copy of the criteria that outlives the page (Streamlit drops a widget's key when it is left)


def _parse(kind: str, values: list[str]):
    if kind == "list":
        return [v[: search.MAX_TERM_CHARS * 2] for v in values[:20]]
    value = values[-1] if values else ""
    if kind == "bool":
        return value == "1"
    if kind == "int":
        return int(value) if value.isdigit() and len(value) <= 4 else None
    return value[:200] or None


def load_from_url() -> None:
    """At every run: the first time in a session, the criteria of the URL (a shared link) into the session
    state; after that, the criteria the person left, re-created when Streamlit dropped them with the page.

    Streamlit tells the browser a widget's value only in the run that set it; a widget the browser draws later (its
    code still loading on a slow computer, a click in between) takes its own default and sends it back at the next
    click: the rayon of a link fell to 1 km, its filters and its sort were dropped. So a criterion the page set is
    told again at every run until its widget sends a value of its own (`heard`) — never the text of « Quoi », where
    it would overwrite what the person is still typing."""
    told = st.session_state.setdefault(TOLD, set())
    if not st.session_state.get(LOADED):
        if st.query_params.get("ou"):
            st.session_state["r_lieu"] = st.query_params["ou"][:40]
        for key, (param, kind) in FIELDS.items():
            if param in st.query_params:
                value = _parse(kind, st.query_params.get_all(param))
                if value is not None:
                    st.session_state[key] = value
                    told.add(key)
        st.session_state[LOADED] = True
    for key, value in (st.session_state.get(KEPT) or {}).items():
        if key not in st.session_state:
            st.session_state[key] = value
            told.add(key)
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value
            told.add(key)
    for key in told - set(TYPED):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def heard(key: str) -> None:
    """on_change of a criterion's widget: the browser has drawn it and holds its value (see load_from_url)."""
    st.session_state.get(TOLD, set()).discard(key)


def save_to_url(place_key: str | None) -> None:
    """The current criteria and the place searched around into the URL (defaults and empty values left out)."""
    st.session_state[KEPT] = {key: st.session_state[key] for key in FIELDS if key in st.session_state}
    wanted: dict[str, str | list[str]] = {"ou": place_key} if place_key else {}
    for key, (param, kind) in FIELDS.items():
        value = st.session_state.get(key)
        if value in (None, "", [], False) or value == DEFAULTS.get(key):
            continue
        if kind == "list":
            wanted[param] = [str(v) for v in value]
        elif kind == "bool":
            wanted[param] = "1"
        else:
            wanted[param] = str(value)
    current = {p: st.query_params.get_all(p) for p in st.query_params}
    normalised = {p: v if isinstance(v, list) else [v] for p, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def reset_filters() -> None:
    kept = st.session_state.get(KEPT) or {}
    for f in FILTERS:
        st.session_state.pop(f.key, None)
        kept.pop(f.key, None)
    st.session_state[BY_NAME["ouvert"].key] = False


def filters() -> Filters:
    return Filters(**{f.name: f.value(st.session_state.get(f.key)) for f in FILTERS})


def chosen_place(place_of: Callable[[str], search.Place | None]) -> search.Place | None:
    """The place picked earlier, while the "Où" field still shows its name (else None: the user is typing);
    place_of: its key ('commune:94028') -> the place."""
    key = st.session_state.get("r_lieu")
    place = place_of(key) if key else None
    if place is not None and "r_ou_texte" not in st.session_state:
        st.session_state["r_ou_texte"] = place.libelle  # opened from a shared link
    elif place is not None and st.session_state["r_ou_texte"] != place.libelle:
        place = None  # the user cleared the field or is typing another place
    if place is None:
        st.session_state["r_lieu"] = None
    return place


def pick_place(places: dict[str, search.Place]) -> None:
    chosen = st.session_state.get("r_ou_suggestion")
    if chosen in places:
        st.session_state["r_lieu"] = chosen
        st.session_state["r_ou_texte"] = places[chosen].libelle
    st.session_state["r_ou_suggestion"] = None


def add_term(labels: dict[str, str]) -> None:
    chosen = st.session_state.get("r_quoi_suggestion")
    if chosen in labels:
        terms = list(st.session_state.get("r_termes") or [])
        st.session_state["r_termes"] = [*terms, labels[chosen]] if labels[chosen] not in terms else terms
        st.session_state["r_quoi"] = ""
    st.session_state["r_quoi_suggestion"] = None


def remove_term(label: str) -> None:
    st.session_state["r_termes"] = [t for t in st.session_state.get("r_termes") or [] if t != label]
