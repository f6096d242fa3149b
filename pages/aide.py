"""Aide (everyone): the support régional's contacts (set by the administrator here), what to do for a lost
password, and the short guides of this app for the signed-in person's role first (docs/aide/)."""

import streamlit as st

from components.data import cursor
from components.feedback import attempt
from components.session import require_user
from components.text import md
from ror.administration import support_contacts
from ror.core import config
from ror.core.permissions import role_allows

GUIDES = {  # file of docs/aide/ -> title, and the roles for whom it comes first
    "recherche": ("Rechercher l'offre autour d'un lieu", {"tutelle", "support", "admin", "directeur", "referent"}),
    "repertoire": ("Parcourir le Répertoire", {"tutelle", "support", "admin", "directeur", "referent"}),
    "dossier": ("Mettre à jour son établissement : fiche et dossier collaboratif", {"directeur", "referent"}),
    "campagne_smr": ("La campagne SMR de votre établissement", {"directeur", "referent"}),
    "validation": ("Valider les dossiers et suivre son territoire", {"tutelle"}),
    "anomalies": ("Signaler et suivre une anomalie", {"tutelle", "support", "admin", "directeur", "referent"}),
}

user = require_user()
st.title("Aide")
contacts = support_contacts.contacts(cursor())

st.subheader("Le support régional")
left, right = st.columns(2)
left.markdown(
    f"**Téléphone** : {md(contacts['support_telephone'])}  \n**Horaires** : {md(contacts['support_horaires'])}"
)
right.markdown(f"**E-mail** : {md(contacts['support_email'])}")
right.link_button("Formulaire de demande", contacts["support_formulaire"], icon=":material/open_in_new:")
st.markdown(
    "**Mot de passe oublié** : le support vous en donne un nouveau, provisoire, à changer à la première connexion ; "
    "écrivez-lui depuis votre adresse professionnelle. **Une information fausse** que vous ne pouvez pas corriger "
    "(nom officiel, adresse, n° FINESS, catégorie) : « Signaler une anomalie » sur sa fiche."
)

if role_allows(user, "parametres"):
    with st.expander("Modifier les coordonnées du support", icon=":material/edit:"), st.form("aide_support"):
        typed = {
            key: st.text_input(label, contacts[key], key=f"aide_{key}")
            for key, label in support_contacts.LABELS.items()
        }
        if (
            st.form_submit_button("Enregistrer", type="primary")
            and attempt(lambda: support_contacts.set_contacts(cursor(), user, typed))[0]
        ):
            st.toast("Coordonnées du support enregistrées.", icon=":material/check:")
            st.rerun()

st.subheader("Guides")
ordered = sorted(GUIDES, key=lambda name: user.role not in GUIDES[name][1])  # the role's own first
for name in ordered:
    title, _ = GUIDES[name]
    with st.expander(title, expanded=name == ordered[0]):
        st.markdown((config.PROJECT_DIR / "docs" / "aide" / f"{name}.md").read_text(encoding="utf-8"))
