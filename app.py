"""Entry point: page config, sign-in, the navigation of the signed-in user's role, the user panel."""

import streamlit as st

from components import memory, run_log
from components.data import DatabaseUnavailable, cursor, is_demo_base, publish_scheduled, start_daily_feed
from components.errors import run_safely
from components.session import (
    COOKIE_SLOT,
    UNKNOWN_ADDRESS,
    UNKNOWN_ADDRESS_SIGNED_OUT,
    current_user,
    exchange_cookie,
    forget_unknown_address,
    render_user_panel,
    return_to,
    run_page,
)
from components.sign_in import render as render_sign_in
from components.text import md
from ror.core import config
from ror.core.auth import User
from ror.core.permissions import ACTIONS, reviews_territory
from ror.dossiers import notifications

st.set_page_config(page_title="ROR Île-de-France", page_icon="static/favicon.png", layout="wide")

SIGN_IN = st.Page(render_sign_in, title="Connexion", icon=":material/login:", url_path="connexion")
HOME = st.Page("pages/tableau_de_bord.py", title="Tableau de bord", icon=":material/dashboard:")
SEARCH = st.Page("pages/recherche.py", title="Recherche", icon=":material/search:", url_path="recherche")
TREE = st.Page("pages/repertoire.py", title="Répertoire", icon=":material/account_tree:", url_path="repertoire")
FICHE = st.Page("pages/fiche.py", title="Fiche", icon=":material/description:", url_path="fiche", visibility="hidden")
DOSSIERS = st.Page(
    "pages/dossiers.py", title="Dossiers collaboratifs", icon=":material/folder_shared:", url_path="dossiers"
)
DOSSIER = st.Page(
    "pages/dossier.py", title="Dossier", icon=":material/folder_open:", url_path="dossier", visibility="hidden"
)
ANOMALIES = st.Page("pages/anomalies.py", title="Anomalies", icon=":material/report:", url_path="anomalies")
ANOMALIE = st.Page(
    "pages/anomalie.py", title="Anomalie", icon=":material/report:", url_path="anomalie", visibility="hidden"
)
COVERAGE = st.Page(
    "pages/couverture.py", title="Couverture du territoire", icon=":material/map:", url_path="couverture"
)
QUALITY = st.Page("pages/qualite.py", title="Qualité des données", icon=":material/fact_check:", url_path="qualite")
CREATE_EG = st.Page(
    "pages/etablissement_nouveau.py",
    title="Créer un établissement",
    icon=":material/add_business:",
    url_path="etablissement_nouveau",
)
ACCOUNTS = st.Page("pages/comptes.py", title="Comptes", icon=":material/group:", url_path="comptes")
IMPORT = st.Page(
    "pages/import_finess.py", title="Import FINESS", icon=":material/upload_file:", url_path="import_finess"
)
EXPORT = st.Page("pages/export_offre.py", title="Export de l'offre", icon=":material/download:", url_path="export")
BACKUP = st.Page("pages/sauvegarde.py", title="Sauvegarde", icon=":material/backup:", url_path="sauvegarde")
HELP = st.Page("pages/aide.py", title="Aide", icon=":material/help:", url_path="aide")
MY_SMR = st.Page(
    "pages/ma_campagne_smr.py", title="Ma campagne SMR", icon=":material/checklist:", url_path="ma_campagne_smr"
)
MY_ACCOUNT = st.Page("pages/mon_compte.py", title="Mon compte", icon=":material/person:", url_path="mon_compte")
NOTIFICATIONS = "pages/notifications.py"
SCRIPTS = {  # a link's page by its script (components/session.py return_to)
    "pages/tableau_de_bord.py": HOME,
    "pages/recherche.py": SEARCH,
    "pages/repertoire.py": TREE,
    "pages/fiche.py": FICHE,
    "pages/dossiers.py": DOSSIERS,
    "pages/dossier.py": DOSSIER,
    "pages/anomalies.py": ANOMALIES,
    "pages/anomalie.py": ANOMALIE,
    "pages/couverture.py": COVERAGE,
    "pages/qualite.py": QUALITY,
    "pages/etablissement_nouveau.py": CREATE_EG,
    "pages/comptes.py": ACCOUNTS,
    "pages/import_finess.py": IMPORT,
    "pages/export_offre.py": EXPORT,
    "pages/sauvegarde.py": BACKUP,
    "pages/mon_compte.py": MY_ACCOUNT,
    "pages/ma_campagne_smr.py": MY_SMR,
    "pages/aide.py": HELP,
}


def notifications_page(user: User) -> st.Page:
    """« Notifications », with the unread count beside it."""
    unread = notifications.unread(cursor(), user.user_id)
    title = f"Notifications ({unread})" if unread else "Notifications"
    return st.Page(NOTIFICATIONS, title=title, icon=":material/notifications:", url_path="notifications")


def pages_for(user: User) -> dict[str, list[st.Page]]:
    """The pages a role may use, by section (hiding a page is not a permission: ror/ checks writes). Someone
    signed in with a temporary password has only « Mon compte » until he has chosen his own."""
    if user.doit_changer_mot_de_passe:
        return {"Compte": [MY_ACCOUNT, HELP]}
    sections = {
        "Répertoire": [HOME, SEARCH, TREE, FICHE],
        "Travail": [DOSSIERS, DOSSIER, ANOMALIES, ANOMALIE, notifications_page(user)],
    }
    if user.role in ACTIONS["campagne.etablissement"]:
        sections["Travail"].insert(-1, MY_SMR)  # before « Notifications », the section's last page
    if reviews_territory(user):
        sections["Territoire"] = [COVERAGE, QUALITY]
    administration = [
        page
        for page, action in (
            (CREATE_EG, "etablissement.creer"),
            (ACCOUNTS, "compte.gerer"),
            (IMPORT, "import"),
            (EXPORT, "export"),
            (BACKUP, "sauvegarde"),
        )
        if user.role in ACTIONS[action]
    ]
    if administration:
        sections["Administration"] = administration
    sections["Compte"] = [MY_ACCOUNT, HELP]
    return sections


DEMO_ON_PRODUCTION = (
    "Le mode démonstration (ROR_DEMO=1) ne démarre que sur une base construite par « python -m ror build-demo » : "
    "cette base n'en est pas une. Relancez l'application sans ROR_DEMO (« make serve »)."
)


# Streamlit's own words under a field, in French (the English ones are hidden: CSS content is not text of the page);
# the label and value of a metric, and a button's label, wrap rather than end in « … » (« EG complets (avec … »,
# « 1 067 … », « Adresse incorrecte ? Le signaler … », a dossier's units as « UNITE IME ACCUEIL DE J… » at 1 280 px);
# a selectbox's list is at least 24 rem wide, so that its options read whole (« SMR – Soins mé… » in a narrow column);
# the Où / Quoi suggestions and every other row of pills (« Source » on Notifications) go on as many rows as they need
# instead of one scrolled row cut at its end; the container of the session cookie's image takes no room.
PAGE_STYLE = (
    f"<style>\n[data-testid='stLayoutWrapper']:has(> .st-key-{COOKIE_SLOT}) {{ display: none; }}"
    + """
[data-testid="InputInstructions"] { visibility: hidden; }
[data-testid="InputInstructions"]::after { visibility: visible; content: "Entrée pour valider"; }
.stTextArea [data-testid="InputInstructions"]::after { content: "Ctrl+Entrée pour valider"; }
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, .stButton button *, .stDownloadButton button * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stSelectboxVirtualDropdown"] { min-width: min(24rem, calc(100vw - 2rem)); }
[data-testid="stButtonGroup"] [role="radiogroup"], [data-testid="stButtonGroup"] [role="toolbar"] {
    flex-wrap: wrap !important; overflow: visible !important;
}
</style>"""
)


def main() -> None:
    started = run_log.start()
    memory.freeze_imported()  # after the run that imported a page's modules (the first of its kind)
    st.html(PAGE_STYLE)
    try:
        cursor()  # the base is there and readable, else what to do
    except DatabaseUnavailable as exc:
        st.error(md(str(exc)))  # missing or locked: the message says what to do (its path may hold « _ »)
        st.stop()
    if config.demo_mode() and not is_demo_base():
        st.error(DEMO_ON_PRODUCTION, icon=":material/gpp_bad:")  # demo accounts and password never on real data
        st.stop()
    user = current_user()
    exchange_cookie()
    if user is None:
        # Every page is known (a shared link keeps its address and query), but only the sign-in form runs;
        # once signed in, the rerun opens the page of the link.
        everything = [SIGN_IN, *SCRIPTS.values(), st.Page(NOTIFICATIONS, url_path="notifications")]
        unknown = forget_unknown_address(everything)
        page = st.navigation(everything, position="hidden")
        if unknown:
            st.warning(UNKNOWN_ADDRESS_SIGNED_OUT, icon=":material/link_off:")
        try:
            if page is SIGN_IN:
                page.run()
            else:
                render_sign_in()
        finally:  # st.stop and st.rerun pass through: their run is logged too
            run_log.record(page, None, started)
        return
    publish_scheduled()  # the dossiers whose date d'effet has come are published on the first run of the day
    start_daily_feed(str(config.db_path()))  # the synchronisation feed, every day at 18:00
    sections = pages_for(user)
    allowed = [p for pages in sections.values() for p in pages]
    unknown = forget_unknown_address(allowed)
    page = st.navigation(sections, expanded=True)
    notifications_link = {NOTIFICATIONS: sections["Travail"][-1]} if "Travail" in sections else {}
    return_to({script: p for script, p in SCRIPTS.items() if any(p is q for q in allowed)} | notifications_link)
    render_user_panel(user)
    if unknown:
        st.warning(UNKNOWN_ADDRESS, icon=":material/link_off:")
    try:
        run_page(page, user)
    finally:
        run_log.record(page, user.role, started)


run_safely(main)
