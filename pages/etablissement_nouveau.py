"""Créer un établissement (support, administrateur): an EG from its FINESS géographique, under its EJ (found, or
created with its raison sociale). Every wrong field is said in French; what was typed stays."""

import streamlit as st

from components.anomalies import open_fiche
from components.data import cursor
from components.feedback import attempt
from components.reference import communes, options
from components.session import require_action, require_user
from components.text import md
from ror.administration import establishments

user = require_user()
st.title("Créer un établissement")
require_action(user, "etablissement.creer")
st.caption(
    "L'EG est créé à partir de son numéro FINESS géographique (9 caractères, préfixe du département, clé de "
    "contrôle). Son EJ est retrouvée par son FINESS juridique, ou créée avec sa raison sociale. L'établissement "
    "est placé au centre de sa commune jusqu'à ce qu'un import FINESS donne ses coordonnées."
)
categories, places = options("TRE_R66"), communes()
with st.form("eta_form"):
    left, right = st.columns(2)
    finess_eg = left.text_input("FINESS géographique *", max_chars=9, key="eta_finess_eg")
    finess_ej = right.text_input("FINESS juridique *", max_chars=9, key="eta_finess_ej")
    raison_sociale = st.text_input(
        "Raison sociale de l'EJ (seulement si l'EJ n'existe pas encore)", key="eta_raison_sociale_ej"
    )
    nom = st.text_input("Nom de l'établissement (raison sociale FINESS) *", key="eta_nom")
    categorie = st.selectbox(
        "Catégorie FINESS *",
        list(categories),
        format_func=categories.get,
        index=None,
        key="eta_categorie",
        placeholder="Choisissez une catégorie",
    )
    number, kind, street = st.columns([1, 1, 4])
    numero_voie = number.text_input("Numéro", key="eta_numero_voie")
    type_voie = kind.text_input("Type de voie", placeholder="R, AV, BD…", key="eta_type_voie")
    voie = street.text_input("Voie", key="eta_voie")
    complement = st.text_input("Complément d'adresse", key="eta_complement")
    town, postal = st.columns([4, 1])
    commune = town.selectbox(
        "Commune *",
        list(places),
        format_func=places.get,
        index=None,
        key="eta_commune",
        placeholder="Tapez le nom de la commune",
    )
    code_postal = postal.text_input("Code postal", max_chars=5, key="eta_code_postal")
    phone, mail = st.columns(2)
    telephone = phone.text_input("Téléphone", key="eta_telephone")
    email = mail.text_input("E-mail", key="eta_email")
    submitted = st.form_submit_button("Créer l'établissement", type="primary", icon=":material/add_business:")

if submitted:
    form = establishments.NewEstablishment(
        finess_eg=finess_eg,
        finess_ej=finess_ej,
        nom=nom,
        categorie_code=categorie,
        commune_insee=commune,
        code_postal=code_postal,
        numero_voie=numero_voie,
        type_voie=type_voie,
        voie=voie,
        complement=complement,
        telephone=telephone,
        email=email,
        raison_sociale_ej=raison_sociale,
    )
    done, created = attempt(lambda: establishments.create(cursor(), user, form))
    if done:
        st.session_state["eta_cree"] = created
if created := st.session_state.get("eta_cree"):
    st.success(f"Établissement {md(created)} créé. Ses unités s'ajoutent par un dossier collaboratif.")
    if st.button("Ouvrir sa fiche", key="eta_ouvrir", icon=":material/description:"):
        open_fiche("EG", created)
