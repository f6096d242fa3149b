"""Fiches: the full description of a record, grouped as the ROR groups it, labels rather than codes."""

from __future__ import annotations

import datetime as dt

import duckdb
import streamlit as st

import queries
from ror import opening
from ror.reference import DISCIPLINES, UO_CODE_SYSTEMS
from ror.search import public_expr


def _line(label: str, value) -> None:
    shown = "—" if value in (None, "") else str(value)
    st.markdown(f"**{label}** : {shown}".replace("\n", " "))


def status_badge(statut: str, detail: str) -> None:
    st.badge(detail, color=opening.STATUS_COLORS[statut])


def render_uo_fiche(con: duckdb.DuckDBPyConnection, uo_id: int, instant: dt.datetime | None = None) -> None:
    """The fiche of a UO: identification, status, activités and other code lists, patientèle, capacity,
    semaine type and fermetures, contacts and responsable, its EG and EJ."""
    found = queries.run(con, "uo_fiche", uo_id=uo_id)
    if found.is_empty():
        st.warning("Cette unité n'existe pas (ou plus) dans le répertoire.")
        return
    uo = found.with_columns(public=public_expr()).row(0, named=True)
    status = opening.statuses(con, [uo_id], instant).row(0, named=True)

    st.subheader(uo["nom"])
    st.caption(f"UO n° {uo['uo_id']} · {uo['eg_nom']} · {uo['eg_commune'] or ''}")
    status_badge(status["statut"], status["statut_detail"])

    ident, activity = st.columns(2, gap="large")
    with ident:
        st.markdown("##### Identification")
        _line("Type d'UO", uo["type_libelle"])
        _line("Champ d'activité", uo["champ_libelle"])
        _line("Discipline", DISCIPLINES.get(uo["discipline"], uo["discipline"]))
        _line("Mode de prise en charge", uo["mode_pec_libelle"])
        _line("Temporalité d'accueil", uo["temporalite_libelle"])
        _line("Organisation interne", uo["oi_nom"])
        st.markdown("##### Patientèle et capacité")
        _line("Patientèle", uo["public"])
        _line("Lits", uo["lits"])
        _line("Places", uo["places"])
        st.markdown("##### Contacts")
        _line("Téléphone", uo["telephone"])
        _line("E-mail", uo["email"])
        _line("Responsable", uo["responsable_nom"])
        _line("E-mail du responsable", uo["responsable_email"])
    with activity:
        codes = queries.run(con, "uo_codes", uo_id=uo_id)
        for system, title in UO_CODE_SYSTEMS.items():
            labels = codes.filter(codes["system"] == system)["libelle"].to_list()
            st.markdown(f"##### {title}")
            if labels:
                st.markdown("\n".join(f"- {label}" for label in labels))
            else:
                st.caption("Aucune")

    week, closings = st.columns(2, gap="large")
    with week:
        st.markdown("##### Semaine type")
        if not uo["horaires_renseignes"]:
            st.caption("Horaires non renseignés")
        else:
            slots = queries.run(con, "uo_horaires", uo_id=uo_id)
            st.dataframe(
                opening.week_table(slots), hide_index=True, column_config={"jour": "Jour", "horaires": "Horaires"}
            )
    with closings:
        st.markdown("##### Fermetures")
        periods = queries.run(con, "uo_fermetures", uo_id=uo_id)
        if periods.is_empty():
            st.caption("Aucune période de fermeture")
        else:
            st.dataframe(
                periods,
                hide_index=True,
                column_config={
                    "date_debut": st.column_config.DateColumn("Du", format="DD/MM/YYYY"),
                    "date_fin": st.column_config.DateColumn("Au", format="DD/MM/YYYY"),
                    "motif": "Motif",
                    "reouverture_prevue": st.column_config.DateColumn("Réouverture prévue", format="DD/MM/YYYY"),
                },
            )

    eg_col, ej_col = st.columns(2, gap="large")
    with eg_col:
        st.markdown("##### Établissement (EG)")
        _line("Nom", uo["eg_nom"])
        _line("FINESS géographique", uo["finess_eg"])
        _line("Catégorie", uo["eg_categorie"])
        address = " ".join(p for p in (uo["eg_adresse"], uo["eg_complement"]) if p)
        _line("Adresse", f"{address}, {uo['eg_code_postal'] or ''} {uo['eg_commune'] or ''}".strip(", "))
        _line("Téléphone", uo["eg_telephone"])
        _line("E-mail", uo["eg_email"])
    with ej_col:
        st.markdown("##### Entité juridique (EJ)")
        _line("Raison sociale", uo["ej_raison_sociale"])
        _line("FINESS juridique", uo["finess_ej"])
        _line("Statut juridique", uo["ej_statut_juridique"])
    st.caption(
        f"Dernière mise à jour : {uo['updated_at']:%d/%m/%Y %H:%M}"
        + (f" par {uo['updated_by']}" if uo["updated_by"] else f" · source : {uo['source']}")
    )
