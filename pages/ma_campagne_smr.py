"""Ma campagne SMR (directeur, référent): the SMR campaign guide's checklist for each of his establishments with SMR
units and for each of those units, item by item, with the place where each is fixed; what the guide advises
without requiring it (surnom, « SSR » → « SMR »), one click away."""

import streamlit as st

from components import rename
from components.anomalies import render_report_window, request_report
from components.data import cursor, data_version
from components.feedback import attempt
from components.session import require_action, require_user
from components.text import md
from ror.repertoire import updates
from ror.territoire import campagne_smr, quality


@st.cache_data(max_entries=64, show_spinner=False)
def load(version: int, finess_eg: tuple[str, ...]):
    data = quality.load_establishments(cursor(), finess_eg)
    statuses = campagne_smr.smr_campaign(data).eg.select("finess_eg", "statut")
    return campagne_smr.smr_checklist(data, finess_eg), campagne_smr.smr_suggestions(data), dict(statuses.iter_rows())


def item_line(done: bool, text: str) -> None:
    """One item of the checklist (its text is the guide's, never typed by anyone)."""
    if done:
        st.markdown(f":green[:material/check_circle:] {text} — fait")
    else:
        st.markdown(f":orange[:material/radio_button_unchecked:] **{text}** — à faire")


user = require_user()
st.title("Ma campagne SMR")
require_action(user, "campagne.etablissement")
st.caption(
    "Réforme des autorisations (2023) : les SSR deviennent SMR. « Vérification et mise à jour des données de votre "
    f"établissement » — fiche EG : {campagne_smr.SMR_EG_ITEMS} ; chaque unité SMR : {campagne_smr.SMR_UO_ITEMS}. "
    f"Conseillé : {campagne_smr.SMR_ADVICE}. Les données sont reprises automatiquement dans ViaTrajectoire."
)
checklist, advice, statuses = load(data_version(), user.finess_eg)
if checklist.is_empty():
    st.info("Aucun de vos établissements n'a d'unité SMR : la campagne ne les concerne pas.")
    st.stop()

for finess_eg in checklist["finess_eg"].unique(maintain_order=True).to_list():
    items = checklist.filter(checklist["finess_eg"] == finess_eg)
    name = items["etablissement"][0]
    left = items.filter(~items["fait"]).height
    with st.container(border=True):
        st.subheader(md(name))
        st.caption(
            f"FINESS {finess_eg} · {campagne_smr.CAMPAIGN_STATUSES[statuses[finess_eg]]} · "
            + (f"{left} point(s) à faire sur {items.height}" if left else f"les {items.height} points sont faits")
        )
        st.markdown("**L'établissement**")
        for row in items.filter(items["niveau"] == "EG").iter_rows(named=True):
            item_line(row["fait"], row["item"])
        links = st.columns(3)
        links[0].page_link(
            "pages/fiche.py",
            label="Mettre à jour la fiche",
            icon=":material/edit_note:",
            query_params={"eg": finess_eg},
        )
        if links[1].button(
            "Adresse incorrecte ? Le signaler au support", key=f"smr_adresse_{finess_eg}", icon=":material/report:"
        ):
            request_report("EG", finess_eg, name, champ="Adresse")
        for row in advice.filter((advice["finess_eg"] == finess_eg) & advice["uo_id"].is_null()).iter_rows(named=True):
            if links[2].button("Donner un surnom (conseillé)", key=f"smr_surnom_{finess_eg}", icon=":material/edit:"):
                rename.ask("eg", finess_eg, row["nom"])
        st.markdown("**Ses unités SMR**")
        for uo_id in items.filter(items["niveau"] == "UO")["uo_id"].unique(maintain_order=True).to_list():
            unit = items.filter(items["uo_id"] == uo_id)
            left_here = int((~unit["fait"]).sum())
            with st.expander(
                f"{md(unit['nom'][0])} — " + (f"{left_here} point(s) à faire" if left_here else "fait"),
                icon=":material/pending:" if left_here else ":material/check_circle:",
            ):
                for row in unit.iter_rows(named=True):
                    item_line(row["fait"], row["item"])
                st.page_link(
                    "pages/fiche.py",
                    label="Mettre à jour l'unité",
                    icon=":material/edit_note:",
                    query_params={"uo": str(uo_id)},
                )
                for tip in advice.filter(advice["uo_id"] == uo_id).iter_rows(named=True):
                    st.caption(tip["conseil"] + " :")
                    if st.button(
                        f"Renommer en « {md(tip['nom_suggere'])} »",
                        key=f"smr_ssr_{uo_id}",
                        icon=":material/auto_fix_high:",
                    ):
                        done_rename, _ = attempt(
                            lambda t=tip: updates.update_uo(cursor(), user, t["uo_id"], {"nom": t["nom_suggere"]})
                        )
                        if done_rename:
                            st.toast("Unité renommée.", icon=":material/check:")
                            st.rerun()

render_report_window(user)
rename.render()
