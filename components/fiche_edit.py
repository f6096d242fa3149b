"""The forms of the mises à jour opérationnelles on a fiche: one per block, « Enregistrer » with a date d'effet.

The rules (checks, permissions, audit) are in ror/repertoire/updates.py; these forms only collect and show messages.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from components.data import cursor
from components.feedback import attempt
from components.naming import render_unit_naming
from components.reference import unit_kind
from components.week_editor import week_editor
from ror.core import clock
from ror.core.auth import User
from ror.core.validation import CLOSING_REASONS
from ror.repertoire import updates
from ror.repertoire.records import EG_CONTACT_FIELDS, FIELD_HELP, FIELD_LABELS

SEEN_PREFIX = "fiche_vu_"  # + record key: the record's updated_at when « Modifier » was switched on


def seen_version(key: str, updated_at: dt.datetime) -> dt.datetime:
    """The version of the record the forms were opened on: a save is refused if someone changed it since."""
    return st.session_state.setdefault(SEEN_PREFIX + key, updated_at)


def forget_seen_version(key: str) -> None:
    st.session_state.pop(SEEN_PREFIX + key, None)


def _save(save, success: str, key: str) -> None:
    """Run a write; show its French error under the form (what was typed stays), or confirm and reload."""
    done, changed = attempt(save)
    if not done:
        return
    forget_seen_version(key)
    st.toast(success if changed else "Aucun changement à enregistrer.")
    st.rerun()


def _effect(key: str) -> dt.date:
    return st.date_input("Date d'effet", value=clock.today(), format="DD/MM/YYYY", key=key)


def render_eg_edit(user: User, eg: dict) -> None:
    key = f"eg:{eg['finess_eg']}"
    seen = seen_version(key, eg["updated_at"])
    with st.form("fiche_eg_contacts"):
        st.markdown("##### Contacts et direction")
        values = contact_inputs(eg, "fiche_eg")
        effect = _effect("fiche_eg_effet")
        if st.form_submit_button("Enregistrer", type="primary"):
            _save(
                lambda: updates.update_eg(
                    cursor(), user, eg["finess_eg"], values, date_effet=effect, seen_updated_at=seen
                ),
                "Établissement mis à jour.",
                key,
            )


def contact_inputs(
    data: dict, key: str, *, mandatory=(), disabled: bool = False, persist: bool = False
) -> dict[str, str]:
    """The contacts and direction of an EG (records.EG_CONTACT_FIELDS) in two columns, from `data`'s values;
    a field of `mandatory` is marked *; `persist`: what is typed is kept while the fields are not shown (a dossier
    showing another fiche)."""
    columns = st.columns(2)
    return {
        field: columns[i % 2].text_input(
            FIELD_LABELS[field] + (" *" if field in mandatory else ""),
            data.get(field) or "",
            key=f"{key}_{field}",
            help=FIELD_HELP.get(field),
            disabled=disabled,
            persist_state="page" if persist else None,
        )
        for i, field in enumerate(EG_CONTACT_FIELDS)
    }


def render_uo_edit(user: User, uo: dict, slots: pl.DataFrame, closings: pl.DataFrame) -> None:
    key = f"uo:{uo['uo_id']}"
    seen = seen_version(key, uo["updated_at"])
    st.caption(
        "Type d'UO, capacité, création ou fermeture d'une unité : ces changements de structure passent par un "
        "dossier collaboratif validé par l'autorité de tutelle."
    )
    contacts, patientele, planning = st.tabs(["Nom et contacts", "Patientèle", "Semaine type et fermetures"])
    name_key = f"fiche_uo_nom_{uo['uo_id']}"
    st.session_state.setdefault(name_key, uo["nom"])
    with contacts:  # the name as typed (or saved) against the rules, with the suggested one
        kind = unit_kind(uo["type_code"], uo["mode_pec_code"], uo["temporalite_code"])
        render_unit_naming(st.session_state[name_key], name_key, kind)
    with contacts, st.form("fiche_uo_contacts"):
        left, right = st.columns(2)
        values = {
            "nom": left.text_input("Nom de l'unité", key=name_key, max_chars=200),
            "telephone": right.text_input("Téléphone", uo["telephone"] or ""),
            "email": left.text_input("E-mail", uo["email"] or ""),
            "responsable_nom": right.text_input("Responsable", uo["responsable_nom"] or ""),
            "responsable_fonction": left.text_input(
                "Fonction du responsable", uo["responsable_fonction"] or "", placeholder="médecin, cadre infirmier…"
            ),
            "responsable_telephone": right.text_input("Téléphone du responsable", uo["responsable_telephone"] or ""),
            "responsable_email": left.text_input("E-mail du responsable", uo["responsable_email"] or ""),
        }
        effect = _effect("fiche_uo_effet_contacts")
        if st.form_submit_button("Enregistrer", type="primary"):
            _save(lambda: _update_uo(user, uo, values, effect, seen), "Unité mise à jour.", key)
    with patientele, st.form("fiche_uo_patientele"):
        left, right = st.columns(2)
        values_p = {
            "public_enfants": left.checkbox("Enfants", uo["public_enfants"]),
            "public_adultes": right.checkbox("Adultes", uo["public_adultes"]),
            "age_min": left.number_input("Âge minimum", 0, 120, uo["age_min"], placeholder="Sans minimum"),
            "age_max": right.number_input("Âge maximum", 0, 120, uo["age_max"], placeholder="Sans maximum"),
        }
        effect_p = _effect("fiche_uo_effet_patientele")
        if st.form_submit_button("Enregistrer", type="primary"):
            _save(lambda: _update_uo(user, uo, values_p, effect_p, seen), "Patientèle mise à jour.", key)
    with planning:
        renseignes = st.checkbox("Horaires renseignés", uo["horaires_renseignes"], key="fiche_uo_renseignes")
        week = week_editor(f"fiche_semaine_{uo['uo_id']}", [tuple(r) for r in slots.rows()], editable=True)
        periods = closings_editor(closings, "fiche_uo_fermetures")
        effect_w = _effect("fiche_uo_effet_planning")
        if st.button("Enregistrer", type="primary", key="fiche_uo_planning"):
            _save(
                lambda: updates.update_planning(
                    cursor(),
                    user,
                    uo["uo_id"],
                    creneaux=week,
                    fermetures=[tuple(r) for r in periods.select(closings.columns).rows()],
                    horaires_renseignes=renseignes,
                    date_effet=effect_w,
                    seen_updated_at=seen,
                ),
                "Planning mis à jour.",
                key,
            )


def closings_editor(closings: pl.DataFrame, key: str, *, disabled: bool = False) -> pl.DataFrame:
    """The closing periods of a unit (date_debut, date_fin, motif, reouverture_prevue) as an editable table."""
    return st.data_editor(
        closings,
        num_rows="fixed" if disabled else "dynamic",
        hide_index=True,
        key=key,
        disabled=disabled,
        column_config={
            "date_debut": st.column_config.DateColumn("Du", format="DD/MM/YYYY", required=True),
            "date_fin": st.column_config.DateColumn("Au", format="DD/MM/YYYY", required=True),
            "motif": st.column_config.SelectboxColumn("Motif", options=list(CLOSING_REASONS), required=True),
            "reouverture_prevue": st.column_config.DateColumn("Réouverture prévue", format="DD/MM/YYYY"),
        },
    )


def _update_uo(user: User, uo: dict, values: dict, effect: dt.date, seen: dt.datetime) -> dict:
    return updates.update_uo(cursor(), user, uo["uo_id"], values, date_effet=effect, seen_updated_at=seen)
