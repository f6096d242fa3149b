"""The fiches of a dossier collaboratif as a small tree (grey until finalised, green after) and the creation of a
unit, one at a time, with the name the naming rule proposes."""

from __future__ import annotations

import json

import polars as pl
import streamlit as st

import queries
from components.data import cursor
from components.dossier_edit import SELECTED, run_action, select_fiche
from components.naming import name_input, render_unit_naming
from components.reference import options, unit_kind
from components.text import md
from ror import dossiers
from ror.core.auth import User
from ror.dossiers import naming

ACTION_TAGS = {"ajoute": "nouvelle", "modifie": "modifiée", "ferme": "fermée", "inchange": ""}


NEW_UNIT = "dos_nouvelle_uo"  # the dossier whose « Nouvelle unité opérationnelle » form is open


def _created(dossier_id: int, fiche_id: int) -> None:
    st.session_state.pop(NEW_UNIT, None)
    select_fiche(dossier_id, fiche_id)


# ---------------------------------------------------------------------------------------------------------
# The tree of fiches


def render_fiche_tree(dossier_id: int, fiches: pl.DataFrame, *, editable: bool) -> int:
    """The EG then its units, each grey until finalised and green after; returns the fiche chosen."""
    key = SELECTED + str(dossier_id)
    ids = fiches["fiche_id"].to_list()
    if st.session_state.get(key) not in ids:
        st.session_state[key] = ids[0]
    done = fiches["finalise"].sum()
    st.progress(done / len(ids), text=f"{done} / {len(ids)} fiches finalisées")
    for row in fiches.iter_rows(named=True):
        icon = ":green[:material/check_circle:]" if row["finalise"] else ":gray[:material/radio_button_unchecked:]"
        tag = ACTION_TAGS[row["action"]]
        label = f"{icon} {'**Établissement** · ' if row['niveau'] == 'EG' else ''}{md(row['nom'])}"
        if tag:
            label += f" · :orange[*{tag}*]"
        chosen = st.session_state[key] == row["fiche_id"]
        indent = st.container() if row["niveau"] == "EG" else st.columns([0.06, 0.94])[1]
        indent.button(
            label,
            key=f"dos_arbre_{row['fiche_id']}",
            type="secondary" if chosen else "tertiary",
            width="stretch",
            on_click=select_fiche,
            args=(dossier_id, row["fiche_id"]),
        )
    if editable and st.button("Créer une unité opérationnelle", icon=":material/add:", key="dos_creer_uo"):
        st.session_state[NEW_UNIT] = dossier_id
    return st.session_state[key]


# ---------------------------------------------------------------------------------------------------------
# Creating a unit


def render_new_unit_form(user: User, dossier_id: int, eg: dict, siblings: list[dict]) -> None:
    """« Créer une unité opérationnelle », one at a time: type (those of the EG's catégorie first, ★), the
    name from the naming rule (editable), then the new fiche opens to be completed and finalised."""
    types = queries.run(cursor(), "uo_types", categorie=eg.get("categorie_code"))
    fitting = set(types.filter(pl.col("adapte"))["code"])
    labels = dict(zip(types["code"], types["libelle"], strict=True))
    st.caption("★ : types d'UO déjà utilisés par les établissements de la même catégorie, proposés en premier.")
    type_code = st.selectbox(
        "Type d'UO *",
        list(labels),
        index=None,
        format_func=lambda c: f"★ {labels[c]}" if c in fitting else labels[c],
        key="dos_new_type",
        placeholder="Choisissez le type d'unité",
    )
    if type_code is None:
        return
    modes, temporalites = options("TRE_R213"), options("TRE_R240")
    left, right = st.columns(2)
    mode = left.selectbox(
        "Mode de prise en charge",
        list(modes),
        index=None,
        format_func=modes.get,
        key="dos_new_mode",
        placeholder="Aucun",
    )
    temporalite = right.selectbox(
        "Temporalité d'accueil",
        list(temporalites),
        index=None,
        format_func=temporalites.get,
        key="dos_new_temp",
        placeholder="Aucune",
    )
    surnom = left.text_input("Surnom (facultatif)", key="dos_new_surnom", help="Complète le nom : ex. « LES TILLEULS »")
    caj = mode == "47" and right.checkbox(
        "Centre d'accueil de jour (CAJ)", key="dos_new_caj", help="Exception du ROR : le nom commence par « CAJ »."
    )
    proposed = naming.uo_name(
        type_code, labels[type_code], modes.get(mode), temporalites.get(temporalite), surnom or None, caj=caj
    )
    name_key = "dos_new_nom_" + proposed  # a new proposal when the choices change
    name = name_input("Nom de l'unité *", name_key, proposed)
    render_unit_naming(name, name_key, unit_kind(type_code, mode, temporalite))
    candidate = {"nom": name, "type_code": type_code, "public_enfants": False, "public_adultes": True}
    alike = naming.similar_units(candidate, siblings)
    if alike:
        st.warning(
            "Une unité proche existe déjà (même type, même public) : "
            + ", ".join(f"« {md(u['nom'])} »" for u in alike)
            + ". Vérifiez que ce n'est pas un doublon.",
            icon=":material/content_copy:",
        )
    if st.button("Créer l'unité", type="primary", key="dos_new_creer"):
        data = {
            "nom": naming.normalise_name(name),
            "type_code": type_code,  # champ and discipline: ror/dossiers.add_uo's defaults for the type
            "mode_pec_code": mode,
            "temporalite_code": temporalite,
        }
        run_action(
            lambda: _created(dossier_id, dossiers.add_uo(cursor(), user, dossier_id, data)),
            "Unité créée : complétez sa fiche puis finalisez-la.",
        )


def fiche_dicts(fiches: pl.DataFrame) -> list[dict]:
    """The fiches with their data decoded."""
    return [{**row, "data": json.loads(row["data"])} for row in fiches.iter_rows(named=True)]
