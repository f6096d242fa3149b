"""Qualité des données of a territory: completeness scores with the drill-down to the records at fault, naming
rules, integrity checks, fiches anciennes and the SMR campaign (ror/territoire/quality.py)."""

import polars as pl
import streamlit as st

from components.data import cursor, data_version
from components.quality import (
    departement_label,
    render_completeness,
    render_integrity,
    render_naming,
    render_old,
    render_smr,
)
from components.session import require_territory, require_user
from ror.territoire import campagne_smr, checks, quality


# st.cache_resource: shared by every session as it is, not copied at each run like st.cache_data (its frames are
# only read); keyed by the data version (docs/performance.md).
@st.cache_resource(max_entries=16, show_spinner="Contrôle des fiches du territoire…")
def load_quality(version: int, departements: tuple[str, ...] | None) -> quality.Quality:
    return quality.load(cursor(), departements)


@st.cache_resource(max_entries=16, show_spinner=False)
def load_naming(version: int, departements: tuple[str, ...] | None) -> pl.DataFrame:
    return quality.naming_violations(load_quality(version, departements))


@st.cache_resource(max_entries=16, show_spinner=False)
def load_campaign(version: int, departements: tuple[str, ...] | None) -> campagne_smr.Campaign:
    return campagne_smr.smr_campaign(load_quality(version, departements))


@st.cache_data(max_entries=4, show_spinner="Contrôles d'intégrité…")
def load_checks(version: int) -> list[checks.CheckResult]:
    return checks.run_checks(cursor())


user = require_user()
st.title("Qualité des données")
departements = require_territory(user)
version = data_version()
data = load_quality(version, departements)
st.caption(
    "Territoire : " + (", ".join(departement_label(d) for d in departements) if departements else "toute la région")
)
labels = ["Complétude", "Nommage", "Intégrité", "Fiches anciennes", "Campagne SMR"]
completeness, naming, integrity, old, smr = st.tabs(labels, key="qua_onglet")
with completeness:
    render_completeness(data)
with naming:
    render_naming(load_naming(version, departements))
with integrity:
    render_integrity(load_checks(version), territorial=departements is not None)
with old:
    render_old(data, quality.old_months(cursor()), user)
with smr:
    render_smr(load_campaign(version, departements), ", ".join(departements) if departements else "Île-de-France")
