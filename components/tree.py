"""The tree of the Répertoire page: one row per node (toggle, name, badge, actions), children on demand."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components.text import md
from ror.repertoire import opening, tree

OPENED_KEY = "rep_ouverts"  # the keys of the expanded nodes
KIND_ICONS = {
    "dep": ":material/map:",
    "ej": ":material/account_balance:",
    "eg": ":material/local_hospital:",
    "oi": ":material/account_tree:",
    "uo": ":material/medical_services:",
}


def opened() -> set[str]:
    return st.session_state.setdefault(OPENED_KEY, set())


def _toggle(key: str) -> None:
    keys = opened()
    keys.discard(key) if key in keys else keys.add(key)


def expand(keys: set[str]) -> None:
    opened().update(keys)


def render_tree(
    nodes: list[tree.Node],
    *,
    load_children: Callable[[str], list[tree.Node]],
    menu: Callable[[tree.Node], list[str]],
    on_action: Callable[[tree.Node, str], None],
    keep: tree.Matches | None = None,
    depth: int = 0,
) -> None:
    """Draw nodes and, under each expanded one, its children. With `keep` (a text filter), only the nodes on
    the paths to a match are drawn until a match is reached; below a match, everything."""
    for node in nodes:
        _render_row(node, depth, menu(node), on_action)
        if node.leaf or node.key not in opened():
            continue
        kids = load_children(node.key)
        below_match = keep is None or node.key in keep.hits
        if not below_match:
            kids = [k for k in kids if k.key in keep.paths]
        if not kids:
            _indented(depth + 1).caption("Aucun élément avec ces filtres.")
            continue
        render_tree(
            kids,
            load_children=load_children,
            menu=menu,
            on_action=on_action,
            keep=None if below_match else keep,
            depth=depth + 1,
        )


def _indented(depth: int):
    return st.columns([0.01 + depth, 30])[1] if depth else st.container()


def widget_key(prefix: str, node: tree.Node) -> str:
    """A widget key that is also a CSS class (Streamlit adds .st-key-<key>): 'rep_t_eg_750000001'."""
    return f"{prefix}_{node.kind}_{node.ident}"


def _render_row(node: tree.Node, depth: int, options: list[str], on_action) -> None:
    _, toggle, label, actions = st.columns([0.01 + 0.9 * depth, 1, 18, 3], vertical_alignment="center")
    if not node.leaf:
        toggle.button(
            "",
            key=widget_key("rep_t", node),
            icon=":material/expand_more:" if node.key in opened() else ":material/chevron_right:",
            type="tertiary",
            on_click=_toggle,
            args=(node.key,),
            help="Replier" if node.key in opened() else "Déplier",
        )
    color = opening.STATUS_COLORS.get(node.statut, "gray") if node.statut else "blue"
    label.markdown(
        f"{KIND_ICONS[node.kind]} **{md(node.nom)}** :gray[· {md(node.detail)}] :{color}-badge[{md(node.badge)}]"
    )
    if options:
        actions.menu_button(
            "Actions",
            options,
            key=widget_key("rep_a", node),
            on_click=lambda n=node: on_action(n, st.session_state[widget_key("rep_a", n)]),
            type="tertiary",
            icon=":material/more_vert:",
        )
