"""Fiches: the full description of a record, grouped as the ROR groups it, labels rather than codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl
import streamlit as st

import queries
from components.anomalies import request_report
from components.data import cursor, data_version, departement_boundaries, zones_around
from components.maps import build_eg_deck
from components.tables import dataframe
from components.text import md
from ror.core import config
from ror.core.reference import DISCIPLINES, UO_CODE_SYSTEMS
from ror.core.validation import CLOSING_REASONS
from ror.recherche.search import public_expr
from ror.repertoire import opening, updates
from ror.repertoire.records import EG_CONTACT_FIELDS, FIELD_LABELS

# The coordinates that are not the site's own (coord_source): where the site is drawn instead.
APPROXIMATE_POSITION = {"commune": "la commune", "arrondissement": "l'arrondissement"}


def _line(label: str, value) -> None:
    shown = "—" if value in (None, "") else md(value)
    st.markdown(f"**{label}** : {shown}")


def status_badge(statut: str, detail: str) -> None:
    st.badge(detail, color=opening.STATUS_COLORS[statut])


@dataclass(frozen=True)
class UoRead:
    """What the fiche of a UO shows that is the same for everyone until the next write: its row (with its EG and
    EJ), its code lists, its semaine type and its fermetures."""

    uo: dict
    codes: pl.DataFrame
    slots: pl.DataFrame
    periods: pl.DataFrame


# st.cache_resource: shared by every session, keyed by the base and its data version (docs/performance.md) — the
# fiche's query joins the zone of every EG before it keeps one (≈ 20 ms), and twenty people open the same units.
@st.cache_resource(max_entries=256, show_spinner=False)
def read_uo(base: str, version: int, uo_id: int) -> UoRead | None:
    con = cursor()
    found = queries.run(con, "uo_fiche", uo_id=uo_id)
    if found.is_empty():
        return None
    return UoRead(
        uo=found.with_columns(public=public_expr(in_words=True)).row(0, named=True),
        codes=queries.run(con, "uo_codes", uo_id=uo_id),
        slots=queries.run(con, "uo_horaires", uo_id=uo_id),
        periods=queries.run(con, "uo_fermetures", uo_id=uo_id),
    )


def render_uo_fiche(
    con: duckdb.DuckDBPyConnection, uo_id: int, instant: dt.datetime | None = None, status: dict | None = None
) -> dict | None:
    """The fiche of a UO: identification, status, activités and other code lists, patientèle, capacity,
    semaine type and fermetures, contacts and responsable, its EG and EJ. Returns the UO row (None if
    unknown). `status` (statut, statut_detail): the one a list of results showed at `instant`, else read."""
    read = read_uo(str(config.db_path()), data_version(), uo_id)
    if read is None:
        st.warning("Cette unité n'existe pas (ou plus) dans le répertoire.")
        return None
    uo = dict(read.uo)  # the caller's own copy
    status = status or opening.statuses(con, [uo_id], instant).row(0, named=True)

    st.subheader(md(uo["nom"]))
    st.caption(f"UO n° {uo['uo_id']} · {md(uo['eg_commune'])}")
    path = [uo["ej_raison_sociale"], uo["eg_nom"], *(uo["oi_chemin"] or "").split(" › ")]
    st.caption(" › ".join(md(step) for step in path if step))  # EJ › EG › pôle › service › UF
    status_badge(status["statut"], status["statut_detail"])

    ident, activity = st.columns(2, gap="large")
    with ident:
        st.markdown("##### Identification")
        _line("Type d'UO", uo["type_libelle"])
        _line("Champ d'activité", uo["champ_libelle"])
        _line("Discipline", DISCIPLINES.get(uo["discipline"], uo["discipline"]))
        _line("Mode de prise en charge", uo["mode_pec_libelle"])
        _line("Temporalité d'accueil", uo["temporalite_libelle"])
        _line("Organisation interne", uo["oi_chemin"] or "directement dans l'établissement")
        st.markdown("##### Patientèle et capacité")
        _line("Patientèle", uo["public"])
        _line("Lits", uo["lits"])
        _line("Places", uo["places"])
        st.markdown("##### Contacts")
        _line("Téléphone", uo["telephone"])
        _line("E-mail", uo["email"])
        _line("Responsable", uo["responsable_nom"])
        _line("Fonction du responsable", uo["responsable_fonction"])
        _line("Téléphone du responsable", uo["responsable_telephone"])
        _line("E-mail du responsable", uo["responsable_email"])
    with activity:
        codes = read.codes
        for system, title in UO_CODE_SYSTEMS.items():
            labels = codes.filter(codes["system"] == system)["libelle"].to_list()
            st.markdown(f"##### {title}")
            if labels:
                st.markdown("\n".join(f"- {md(label)}" for label in labels))
            else:
                st.caption("Aucune")

    week, closings = st.columns(2, gap="large")
    with week:
        st.markdown("##### Semaine type")
        if not uo["horaires_renseignes"]:
            st.caption("Horaires non renseignés")
        else:
            dataframe(
                opening.week_table(read.slots), hide_index=True, column_config={"jour": "Jour", "horaires": "Horaires"}
            )
    with closings:
        st.markdown("##### Fermetures")
        periods = read.periods
        if periods.is_empty():
            st.caption("Aucune période de fermeture")
        else:
            dataframe(
                periods.with_columns(
                    pl.col("motif").replace_strict(CLOSING_REASONS, default=pl.col("motif")),
                    pl.col("reouverture_prevue").dt.strftime("%d/%m/%Y").fill_null("—"),
                ),
                hide_index=True,
                column_config={
                    "date_debut": st.column_config.DateColumn("Du", format="DD/MM/YYYY"),
                    "date_fin": st.column_config.DateColumn("Au", format="DD/MM/YYYY"),
                    "motif": "Motif",
                    "reouverture_prevue": "Réouverture prévue",
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
    _updated(uo)
    return uo


def render_history(con: duckdb.DuckDBPyConnection, target_type: str, target_id: str) -> None:
    """The changes of a record from the audit journal: who, when, what (before / after), date d'effet."""
    st.markdown("##### Historique des modifications")
    rows = updates.history_rows(queries.run(con, "history", target_type=target_type, target_id=target_id, limite=200))
    if not rows:
        st.caption("Aucune modification enregistrée depuis l'import.")
        return
    dataframe(
        pl.DataFrame(rows),
        hide_index=True,
        column_config={
            "Date": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
            "Date d'effet": st.column_config.DateColumn(format="DD/MM/YYYY"),
        },
    )


def _updated(row: dict) -> None:
    st.caption(
        f"Dernière mise à jour : {row['updated_at']:%d/%m/%Y %H:%M}"
        + (f" par {md(row['updated_by'])}" if row["updated_by"] else f" · source : {md(row['source'])}")
    )


def render_ej_fiche(con: duckdb.DuckDBPyConnection, finess_ej: str) -> dict | None:
    """The fiche of an EJ: identification and its établissements. Returns the EJ row (None if unknown)."""
    found = queries.run(con, "ej_fiche", finess_ej=finess_ej)
    if found.is_empty():
        st.warning("Cette entité juridique n'existe pas (ou plus) dans le répertoire.")
        return None
    ej = found.row(0, named=True)
    st.subheader(md(ej["raison_sociale"]))
    st.caption(f"Entité juridique · FINESS {ej['finess_ej']}")
    st.markdown("##### Identification")
    _line("Raison sociale", ej["raison_sociale"])
    _line("FINESS juridique", ej["finess_ej"])
    _line("Statut juridique", ej["statut_juridique"])
    _line("Département", f"{ej['departement_nom']} ({ej['departement']})" if ej["departement"] else None)
    st.markdown("##### Établissements (EG)")
    dataframe(
        queries.run(con, "ej_establishments", finess_ej=finess_ej),
        hide_index=True,
        column_config={
            "finess_eg": "FINESS",
            "nom": "Établissement",
            "commune": "Commune",
            "departement": "Dépt",
            "categorie": "Catégorie",
            "uo": st.column_config.NumberColumn("UO actives", format="localized"),
        },
    )
    _updated(ej)
    return ej


def render_eg_fiche(con: duckdb.DuckDBPyConnection, finess_eg: str) -> dict | None:
    """The fiche of an EG: identification, adresse and map, contacts, directeur and mail d'alerte, its UO.
    Returns the EG row (None if unknown)."""
    found = queries.run(con, "eg_fiche", finess_eg=finess_eg)
    if found.is_empty():
        st.warning("Cet établissement n'existe pas (ou plus) dans le répertoire.")
        return None
    eg = found.row(0, named=True)
    st.subheader(md(eg["nom_usage"] or eg["nom"]))
    st.caption(f"Établissement géographique · FINESS {md(eg['finess_eg'])} · {md(eg['commune'] or eg['departement'])}")
    ident, where = st.columns(2, gap="large")
    with ident:
        st.markdown("##### Identification")
        _line("Raison sociale", eg["nom"])
        _line("Nom d'usage", eg["nom_usage"])
        _line("FINESS géographique", eg["finess_eg"])
        _line("Catégorie", eg["categorie"])
        _line("Entité juridique", f"{eg['ej_raison_sociale']} (FINESS {eg['finess_ej']})")
        _line("Statut juridique", eg["ej_statut_juridique"])
        st.markdown("##### Contacts et direction")
        for field in EG_CONTACT_FIELDS:
            _line(FIELD_LABELS[field], eg[field])
    with where:
        st.markdown("##### Adresse")
        address = " ".join(p for p in (eg["adresse"], eg["complement"]) if p)
        _line("Adresse", f"{address}, {eg['code_postal'] or ''} {eg['commune'] or ''}".strip(", "))
        st.caption(
            "Raison sociale, FINESS, catégorie et adresse viennent de FINESS : seul le support régional les corrige."
        )
        if st.button(
            "Une erreur ? La signaler au support",
            key="fiche_eg_correction",
            type="tertiary",
            icon=":material/report:",
        ):
            request_report("EG", finess_eg, eg["nom_usage"] or eg["nom"], champ="Adresse")
        if eg["lat"] is not None:
            points = queries.run(con, "eg_map_points", departements=None, finess_eg=[finess_eg])
            st.pydeck_chart(
                build_eg_deck(
                    points,
                    departement_boundaries(),
                    (eg["departement"],),
                    zones_around(eg["lat"], eg["lon"]),
                    named=True,
                ),
                height=320,
                key="fiche_eg_carte",
            )
            if eg["coord_source"] in APPROXIMATE_POSITION:
                st.caption(f"Position approchée : centre de {APPROXIMATE_POSITION[eg['coord_source']]}.")
    st.markdown("##### Unités (UO)")
    units = queries.run(con, "eg_units", finess_eg=finess_eg)
    dataframe(
        units.with_columns(
            pl.col("lits", "places").cast(pl.String),
            statut=units["statut"].replace_strict({"active": "Active", "fermee": "Fermée"}),
        ).fill_null("—"),
        hide_index=True,
        column_config={
            "uo_id": "N° UO",
            "nom": "Unité",
            "type": "Type d'UO",
            "discipline": "Discipline",
            "statut": "Statut",
            "lits": "Lits",
            "places": "Places",
            "telephone": "Téléphone",
            "oi": "Organisation interne",
        },
    )
    _updated(eg)
    return eg
