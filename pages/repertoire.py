"""Répertoire: the tree EJ → EG → OI → UO, filtered by domain and territory, with the actions of each node."""

import streamlit as st

from components import rename
from components.anomalies import render_report_window, request_report
from components.data import cursor, data_version
from components.dossier_review import start_dossier
from components.session import current_user, require_user
from components.text import md
from components.tree import expand, render_tree
from ror.core.permissions import scope_of
from ror.core.reference import DISCIPLINES
from ror.repertoire import favoris, tree


@st.cache_data(max_entries=256, ttl=60, show_spinner=False)  # ttl: the UO badges are statuses "now"
def load_children(version: int, key: str, filters: tree.TreeFilters) -> list[tree.Node]:
    return tree.children(cursor(), key, filters)


@st.cache_data(max_entries=64, show_spinner=False)
def load_roots(version: int, view: str, filters: tree.TreeFilters, page: int, ej: tuple[str, ...] | None):
    return tree.roots(cursor(), view, filters, page=page, finess_ej=list(ej) if ej is not None else None)


@st.cache_data(max_entries=64, show_spinner=False)
def load_matches(version: int, text: str, filters: tree.TreeFilters) -> tree.Matches:
    return tree.matches(cursor(), text, filters)


def on_action(node: tree.Node, action: str | None) -> None:
    if action == tree.OPEN:
        st.session_state["rep_fiche"] = node.key
    elif action in (tree.ADD_FAVOURITE, tree.REMOVE_FAVOURITE):
        (favoris.add if action == tree.ADD_FAVOURITE else favoris.remove)(cursor(), current_user(), node.key)
        st.toast(f"« {md(node.nom)} » {'ajouté aux' if action == tree.ADD_FAVOURITE else 'retiré des'} favoris.")
    elif action == tree.RENAME:
        rename.ask(node.kind, node.ident, node.nom)
    elif action == tree.DOSSIER:
        st.session_state["rep_dossier"] = node.finess_eg
    elif action == tree.REPORT:
        request_report(node.kind.upper(), node.ident, node.nom)


user = require_user()
scope = scope_of(user)
version = data_version()
con = cursor()

st.title("Répertoire")
st.caption("Les entités juridiques, leurs établissements, leur organisation interne et leurs unités.")

filters_col, view_col = st.columns([3, 2], vertical_alignment="bottom")
domaines = filters_col.pills(
    "Filtrer par domaine",
    list(DISCIPLINES),
    default=list(tree.DEFAULT_DOMAINS),
    selection_mode="multi",
    key="rep_domaines",
    format_func=lambda code: code,
    help=" · ".join(f"{code} : {label}" for code, label in DISCIPLINES.items()),
)
view = view_col.segmented_control(
    "Afficher par", list(tree.VIEWS), default="ej", key="rep_vue", format_func=tree.VIEWS.get, required=True
)
text_col, territory_col = st.columns([3, 2], vertical_alignment="bottom")
text = text_col.text_input("Filtrer par nom ou FINESS", key="rep_filtre", placeholder="3 caractères au moins")
own_territory = False
if scope.departements:
    own_territory = territory_col.toggle(
        f"Mon territoire uniquement ({', '.join(scope.departements)})", value=True, key="rep_territoire"
    )

if not domaines:
    st.info("Choisissez au moins un domaine.")
    st.stop()
filters = tree.TreeFilters(
    domaines=tuple(code for code in DISCIPLINES if code in domaines),
    departements=scope.departements if own_territory else None,
)

keep = None
if text.strip() and view != "favoris":
    try:
        keep = load_matches(version, text, filters)
    except tree.TreeError as exc:
        st.warning(str(exc))
        st.stop()
    if not keep.hits:
        st.info("Aucun élément ne correspond à ce filtre.")
        st.stop()
    if keep.truncated:
        st.caption(f"Les {tree.MAX_MATCHES} premiers résultats du filtre sont affichés : précisez-le.")
    if opening_paths := keep.to_expand():
        expand(opening_paths)
    else:
        st.caption(f"{len(keep.hits)} éléments correspondent : dépliez l'arbre pour les voir, ou précisez le filtre.")

page = st.session_state.get("rep_page", 1) - 1
if view == "favoris":
    roots, total = tree.roots(con, "favoris", filters, user_id=user.user_id)
elif keep is not None and view == "ej":
    roots, total = load_roots(version, "ej", filters, page, tuple(keep.ej_keys()))
else:
    roots, total = load_roots(version, view, filters, page, None)

favourites = favoris.keys(con, user)
st.markdown(f"**{total}** {'entité(s) juridique(s)' if view == 'ej' else 'élément(s)'}")
if not roots:
    st.info(
        "Aucun favori pour l'instant : « Actions » → « Ajouter aux favoris » sur un nœud de l'arbre."
        if view == "favoris"
        else "Aucun élément avec ces filtres."
    )
with st.container(border=True):
    render_tree(
        roots,
        load_children=lambda key: load_children(version, key, filters),
        menu=lambda node: tree.actions(node, user, node.key in favourites),
        on_action=on_action,
        keep=keep if view == "ej" else None,
    )
if view == "ej" and total > tree.PAGE_SIZE:
    st.pagination(-(-total // tree.PAGE_SIZE), key="rep_page")

rename.render()
render_report_window(user)
if target := st.session_state.pop("rep_fiche", None):
    kind, _, ident = target.partition(":")
    st.switch_page("pages/fiche.py", query_params={kind: ident})
if finess := st.session_state.pop("rep_dossier", None):
    start_dossier(user, finess)
