"""Dossier collaboratif (?dossier=N): its fiches for the directeur and référents of the EG (draft), what
changes against the published répertoire and the decision for the tutelle, and the thread of the exchange."""

import streamlit as st

import queries
from components.anomalies import render_dossier_anomalies
from components.data import cursor
from components.dossier_edit import render_eg_editor, render_uo_editor
from components.dossier_fiches import NEW_UNIT, fiche_dicts, render_fiche_tree, render_new_unit_form
from components.dossier_review import (
    render_changes,
    render_decision,
    render_send,
    render_thread,
    seen,
)
from components.feedback import attempt, render_refused_action
from components.session import require_user
from components.text import md
from ror import dossiers
from ror.core.permissions import allowed

user = require_user()
con = cursor()
if st.button("Dossiers collaboratifs", icon=":material/arrow_back:", type="tertiary", key="dos_retour"):
    st.switch_page("pages/dossiers.py")
ident = st.query_params.get("dossier", "")
found = queries.run(con, "dossier", dossier_id=int(ident)) if ident.isdigit() else None
if found is None or found.is_empty():
    st.title("Dossier collaboratif")
    st.error(f"Dossier introuvable : « {md(ident[:20])} ».")
    st.stop()
dossier = found.row(0, named=True)
if not dossiers.can_see(user, dossier["finess_eg"], dossier["departement"]):
    st.title("Dossier collaboratif")
    st.error("Ce dossier concerne un établissement hors de votre périmètre.")
    st.stop()

dossier_id = dossier["dossier_id"]
editable = dossier["statut"] == "brouillon" and allowed(user, "dossier.editer", finess_eg=dossier["finess_eg"])
# the decision is shown as long as the dossier was « en validation » when the tutelle opened it: if another
# reviewer decided in between, acting on it is refused and says so
deciding = seen(dossier)["statut"] == "en_validation" and allowed(
    user, "dossier.decider", departement=dossier["departement"]
)

st.title(md(dossier["nom"]))
render_refused_action()
st.badge(
    dossiers.STATUS_LABELS[dossier["statut"]],
    color={"brouillon": "gray", "en_validation": "orange", "programme": "blue", "publie": "green"}.get(
        dossier["statut"], "gray"
    ),
)
st.caption(
    f"{md(dossier['eg_nom'])} · FINESS {md(dossier['finess_eg'])} · département {md(dossier['departement'])} · "
    f"créé le {dossier['created_at']:%d/%m/%Y} par {md(dossier['createur'])}"
)
if dossier["statut"] == "brouillon" and dossier["motif_refus"]:
    st.warning(
        f"**Dossier refusé par l'autorité de tutelle** : {md(dossier['motif_refus'].rstrip('.'))}. "
        "Corrigez-le puis renvoyez-le.",
        icon=":material/warning:",
    )
elif dossier["statut"] == "en_validation":
    st.info(f"Envoyé en validation le {dossier['sent_at']:%d/%m/%Y}, date d'effet le {dossier['date_effet']:%d/%m/%Y}.")
elif dossier["statut"] == "programme":
    st.info(
        f"Validé le {dossier['decided_at']:%d/%m/%Y} par {md(dossier['decideur'])} : publication programmée le "
        f"{dossier['date_effet']:%d/%m/%Y}.",
        icon=":material/event:",
    )
elif dossier["statut"] == "publie":
    st.success(f"Validé par {md(dossier['decideur'])} et publié (date d'effet {dossier['date_effet']:%d/%m/%Y}).")

if editable:
    with st.expander("Renommer le dossier"), st.form("dos_renommer_form", border=False):
        new_name = st.text_input("Nom du dossier", dossier["nom"], key=f"dos_nom_{dossier_id}", max_chars=200)
        renamed = st.form_submit_button("Renommer")
        if renamed and attempt(lambda: dossiers.rename(con, user, dossier_id, new_name))[0]:
            st.rerun()

fiches = queries.run(con, "dossier_fiches", dossier_id=dossier_id)
review_first = dossier["statut"] in ("en_validation", "programme")
tab_fiches, tab_changes, tab_thread = st.tabs(
    ["Fiches", "Ce qui change", "Échanges"], default="Ce qui change" if review_first else "Fiches"
)
with tab_fiches:
    tree, editor = st.columns([2, 5], gap="large")
    with tree:
        chosen = render_fiche_tree(dossier_id, fiches, editable=editable)
    all_fiches = fiche_dicts(fiches)
    units = [f for f in all_fiches if f["niveau"] == "UO"]
    eg = queries.run(con, "eg_fiche", finess_eg=dossier["finess_eg"]).row(0, named=True)
    with editor:
        if editable and st.session_state.get(NEW_UNIT) == dossier_id:
            with st.container(border=True):
                st.markdown("#### Nouvelle unité opérationnelle")
                render_new_unit_form(user, dossier_id, eg, units)
                if st.button("Annuler", key="dos_new_annuler", type="tertiary"):
                    st.session_state.pop(NEW_UNIT)
                    st.rerun()
        else:
            fiche = next(f for f in all_fiches if f["fiche_id"] == chosen)
            if fiche["niveau"] == "EG":
                render_eg_editor(user, fiche, eg, editable=editable)
            else:
                render_uo_editor(user, fiche, units, editable=editable)
    if dossier["statut"] == "brouillon" and allowed(user, "dossier.editer", finess_eg=dossier["finess_eg"]):
        st.divider()
        render_send(user, dossier, pending=int(fiches.height - fiches["finalise"].sum()))
with tab_changes:
    render_changes(con, dossier_id)
    render_dossier_anomalies(con, user, dossier, editable=editable)
    if deciding:
        render_decision(user, dossier)
with tab_thread:
    render_thread(con, user, dossier)
