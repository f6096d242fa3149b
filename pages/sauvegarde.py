"""Sauvegarde (administrateur): a whole copy of the base, made by the running app (which holds DuckDB's lock), to
download; `python -m ror restore` brings it back, the app stopped."""

import tempfile
import time
from pathlib import Path

import streamlit as st

from components.data import cursor
from components.feedback import attempt
from components.session import require_action, require_user
from ror.administration import installation
from ror.core import formats

FOLDER = Path(tempfile.gettempdir()) / "ror-sauvegardes"  # prepared copies, removed after an hour
PREPARED = "sauv_fichier"

user = require_user()
st.title("Sauvegarde de la base")
require_action(user, "sauvegarde")
st.caption(
    "Une copie complète et cohérente de la base, faite par DuckDB pendant que l'application tourne : répertoire, "
    "dossiers, anomalies, comptes, journal. Gardez-la hors de ce serveur. Pour la remettre en place, application "
    "arrêtée : « python -m ror restore FICHIER » (la base remplacée est gardée, renommée). Hors application : "
    "« python -m ror backup --out DOSSIER »."
)

if st.button("Préparer une sauvegarde", type="primary", icon=":material/backup:", key="sauv_preparer"):
    FOLDER.mkdir(exist_ok=True)
    for old in FOLDER.glob("*.duckdb"):
        if time.time() - old.stat().st_mtime > 3600:
            old.unlink(missing_ok=True)
    with st.spinner("Copie de la base…"):
        done, result = attempt(lambda: installation.backup_for_download(cursor(), user, FOLDER))
    if done:
        st.session_state[PREPARED] = result

if (prepared := st.session_state.get(PREPARED)) and prepared.exists():
    size = prepared.stat().st_size
    st.success(f"Sauvegarde prête : {prepared.name} ({formats.megabytes(size)}).", icon=":material/check:")
    st.download_button(
        "Télécharger la sauvegarde",
        data=prepared.read_bytes,  # read when the button is clicked, not kept in the session
        file_name=prepared.name,
        mime="application/octet-stream",
        on_click="ignore",
        key="sauv_telecharger",
        icon=":material/download:",
    )
