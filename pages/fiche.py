"""Fiche: one EJ, EG or UO (address ?ej=, ?eg= or ?uo=), its open anomalies and « Signaler une anomalie », its
history, and for a directeur or référent of the EG the mises à jour opérationnelles."""

import streamlit as st

import queries
from components import rename
from components.anomalies import render_fiche_anomalies
from components.data import cursor
from components.dossier_review import start_dossier
from components.fiche_edit import forget_seen_version, render_eg_edit, render_uo_edit
from components.fiches import render_eg_fiche, render_ej_fiche, render_history, render_uo_fiche
from components.peuplement import direct_update_allowed
from components.session import require_user
from ror import dossiers
from ror.core.permissions import allowed
from ror.repertoire import favoris

user = require_user()
con = cursor()
params = st.query_params
kind = next((k for k in ("uo", "eg", "ej") if params.get(k)), None)

top = st.columns([1, 5, 2], vertical_alignment="center")
if top[0].button("Répertoire", icon=":material/arrow_back:", type="tertiary"):
    st.switch_page("pages/repertoire.py")
if kind is None:
    st.title("Fiche")
    st.info("Ouvrez une fiche depuis le Répertoire ou la Recherche.")
    st.stop()
ident = params[kind]
if kind == "uo" and not ident.isdigit():
    st.error(f"Numéro d'unité invalide : « {ident[:20]} ».")
    st.stop()

key = f"{kind}:{ident}"
is_favourite = key in favoris.keys(con, user)
if top[2].button(
    "Retirer des favoris" if is_favourite else "Ajouter aux favoris",
    icon=":material/star:" if is_favourite else ":material/star_outline:",
    key="fiche_favori",
):
    (favoris.remove if is_favourite else favoris.add)(con, user, key)
    st.rerun()

if kind == "ej":
    if render_ej_fiche(con, ident):
        render_fiche_anomalies(con, user, "EJ", ident)
        render_history(con, "EJ", ident)
elif kind == "eg":
    eg = render_eg_fiche(con, ident)
    if eg and allowed(user, "dossier.editer", finess_eg=ident):
        current = dossiers.open_one(con, ident)
        if st.button(
            "Ouvrir le dossier collaboratif en cours" if current else "Créer un dossier collaboratif",
            icon=":material/folder_shared:",
            key="fiche_dossier",
            help="Changement de structure (unités, capacité, type) : un dossier validé par l'autorité de tutelle.",
        ):
            start_dossier(user, ident)
    if eg:
        editable = direct_update_allowed(user, ident)
        if editable and st.button(
            "Renommer", icon=":material/edit:", key="fiche_renommer", help="Le surnom (nom d'usage) de l'établissement"
        ):
            rename.ask("eg", ident, eg["nom_usage"] or eg["nom"])
        if editable and st.toggle(
            "Modifier", key="fiche_modifier", help="Mise à jour opérationnelle : contacts, direction, mail d'alerte"
        ):
            render_eg_edit(user, eg)
        else:
            forget_seen_version(key)
        render_fiche_anomalies(con, user, "EG", ident)
        render_history(con, "EG", ident)
else:
    uo = render_uo_fiche(con, int(ident))
    if uo:
        if direct_update_allowed(user, uo["finess_eg"]) and st.toggle(
            "Modifier",
            key="fiche_modifier",
            help="Mise à jour opérationnelle : nom, contacts, patientèle, semaine type et fermetures. Type, "
            "capacité ou création d'unité : dossier collaboratif.",
        ):
            render_uo_edit(
                user,
                uo,
                queries.run(con, "uo_horaires", uo_id=int(ident)),
                queries.run(con, "uo_fermetures", uo_id=int(ident)),
            )
        else:
            forget_seen_version(key)
        render_fiche_anomalies(con, user, "UO", ident)
        render_history(con, "UO", ident)
rename.render()
