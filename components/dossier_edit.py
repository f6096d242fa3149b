"""The fiches of a dossier collaboratif edited: the EG and UO editors with the live naming checks, and the read-only
view of a locked fiche (the tree of fiches and the creation of a unit: components/dossier_fiches.py).

The rules (checks, permissions, states, naming) are in ror/dossiers/ and ror/dossiers/naming.py; this only collects
what is typed and shows the messages.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

import queries
from components.data import cursor
from components.feedback import attempt
from components.fiche_edit import closings_editor, contact_inputs
from components.naming import name_input, render_unit_naming, render_usage_naming
from components.reference import communes, options, unit_kind
from components.text import md
from components.week_editor import week_editor
from ror import dossiers
from ror.core.auth import User
from ror.core.finess import finess_error
from ror.core.reference import DISCIPLINES, UO_CODE_SYSTEMS
from ror.dossiers import naming
from ror.dossiers.drafts import MANDATORY_EG

SELECTED = "dos_fiche_"  # + dossier id: the fiche shown on the right


def select_fiche(dossier_id: int, fiche_id: int) -> None:
    st.session_state[SELECTED + str(dossier_id)] = fiche_id


def run_action(action, success: str) -> None:
    """Run a dossier action; show its French error(s) (what was typed stays), or confirm and reload."""
    if attempt(action)[0]:
        st.toast(success)
        st.rerun()


# ---------------------------------------------------------------------------------------------------------
# Editors


def _buttons(user: User, fiche: dict, changes: dict, *, extra: bool = False) -> None:
    """« Enregistrer », « Enr. et finaliser » and, for a unit, « Dupliquer » and « Fermer » / « Supprimer »."""
    fiche_id = fiche["fiche_id"]
    cols = st.columns(4 if extra else 2)
    if cols[0].button("Enregistrer", key=f"dos_enr_{fiche_id}", icon=":material/save:", width="stretch"):
        run_action(lambda: dossiers.save_fiche(cursor(), user, fiche_id, changes), "Fiche enregistrée.")
    if cols[1].button("Enr. et finaliser", key=f"dos_fin_{fiche_id}", type="primary", width="stretch"):
        run_action(lambda: _finalise(user, fiche_id, changes), "Fiche finalisée.")
    if not extra:
        return
    if cols[2].button("Dupliquer", key=f"dos_dup_{fiche_id}", icon=":material/content_copy:", width="stretch"):
        run_action(
            lambda: select_fiche(fiche["dossier_id"], dossiers.duplicate_uo(cursor(), user, fiche_id)),
            "Unité dupliquée : renommez la copie.",
        )
    label = "Supprimer l'unité" if fiche["action"] == "ajoute" else "Fermer l'unité"
    if cols[3].button(label, key=f"dos_fermer_{fiche_id}", icon=":material/block:", width="stretch"):
        run_action(lambda: dossiers.close_uo(cursor(), user, fiche_id), "Unité retirée du dossier.")


class Unfinished(dossiers.DossierError):
    """Saved, but mandatory fields are missing."""


def _finalise(user: User, fiche_id: int, changes: dict) -> None:
    missing = dossiers.save_fiche(cursor(), user, fiche_id, changes, finalise=True)
    if missing:
        raise Unfinished("Fiche enregistrée mais pas finalisée : il manque " + ", ".join(missing) + ".")


def _changed(data: dict, values: dict) -> dict:
    return {field: value for field, value in values.items() if data.get(field) != value}


def _text(
    label: str, data: dict, field: str, key: str, *, mandatory=False, disabled=False, where=st, max_chars=None
) -> str:
    """A text field of the fiche, starting from the draft's value and kept while another fiche is shown."""
    return where.text_input(
        label + (" *" if mandatory else ""),
        data.get(field) or "",
        key=key,
        disabled=disabled,
        max_chars=max_chars,
        persist_state="page",
    )


def render_eg_editor(user: User, fiche: dict, eg: dict, *, editable: bool) -> None:
    """The EG fiche of the dossier: nom d'usage (naming rules), address, contacts and direction."""
    data, fid, off = fiche["data"], fiche["fiche_id"], not editable
    st.markdown(f"##### {md(eg['nom'])}")
    problem = finess_error(eg["finess_eg"])
    st.caption(f"FINESS géographique {md(eg['finess_eg'])} · FINESS juridique {md(eg['finess_ej'])}")
    if problem:
        st.error(f"FINESS de l'établissement : {md(problem)}")
    name_key = f"dos_eg_nom_usage_{fid}"
    values = {"nom_usage": name_input("Nom d'usage", name_key, data.get("nom_usage"), disabled=off)}
    render_usage_naming(values["nom_usage"], name_key, naming.Establishment.of(eg), editable=editable)
    st.markdown("**Adresse**")
    a, b, c = st.columns([1, 2, 4])
    values["numero_voie"] = _text("Numéro", data, "numero_voie", f"dos_eg_num_{fid}", disabled=off, where=a)
    values["type_voie"] = _text("Type de voie", data, "type_voie", f"dos_eg_tv_{fid}", disabled=off, where=b)
    values["voie"] = _text("Voie", data, "voie", f"dos_eg_voie_{fid}", mandatory=True, disabled=off, where=c)
    values["complement"] = _text("Complément", data, "complement", f"dos_eg_cpl_{fid}", disabled=off)
    a, b = st.columns([1, 3])
    values["code_postal"] = _text(
        "Code postal", data, "code_postal", f"dos_eg_cp_{fid}", mandatory=True, disabled=off, where=a, max_chars=5
    )
    names = communes()
    values["commune_insee"] = b.selectbox(
        "Commune *",
        list(names),
        index=list(names).index(data["commune_insee"]) if data.get("commune_insee") in names else None,
        format_func=names.get,
        key=f"dos_eg_commune_{fid}",
        persist_state="page",
        disabled=off,
        placeholder="Tapez le nom de la commune",
    )
    st.markdown("**Contacts et direction**")
    values |= contact_inputs(data, f"dos_eg_{fid}", mandatory=MANDATORY_EG, disabled=off, persist=True)
    if editable:
        _buttons(user, fiche, _changed(data, {k: (v or None) for k, v in values.items()}))


def render_uo_editor(user: User, fiche: dict, siblings: list[dict], *, editable: bool) -> None:
    """A unit of the dossier, one tab each: identification (naming rules, look-alike units), activités, patientèle
    and capacity, semaine type, closing periods."""
    data, fid, off = fiche["data"], fiche["fiche_id"], not editable
    if fiche["action"] == "ferme":
        st.warning("Cette unité sera **fermée** à la publication du dossier.", icon=":material/block:")
        if editable and st.button("Annuler la fermeture", key=f"dos_rouvrir_{fid}", icon=":material/undo:"):
            run_action(lambda: dossiers.reopen_uo(cursor(), user, fid), "L'unité reste ouverte.")
        return
    ident, activites, patientele, semaine, fermetures = st.tabs(
        ["Identification", "Activités", "Patientèle et capacité", "Semaine type", "Fermetures"]
    )
    with ident:
        values = _identification(fiche, siblings, editable=editable)
    with activites:
        values["codes"] = _activities(data, fid, values["discipline"], disabled=off)
    with patientele:
        values |= _patientele(data, fid, disabled=off)
    with semaine:
        values["horaires_renseignes"] = st.checkbox(
            "Horaires renseignés",
            bool(data.get("horaires_renseignes", True)),
            key=f"dos_uo_hr_{fid}",
            persist_state="page",
            disabled=off,
        )
        week = week_editor(f"dos_semaine_{fid}", [tuple(s) for s in data.get("creneaux") or []], editable=editable)
        values["creneaux"] = [list(slot) for slot in week]
    with fermetures:
        periods = closings_editor(_closings_frame(data.get("fermetures") or []), f"dos_uo_ferm_{fid}", disabled=off)
        values["fermetures"] = [
            [_iso(r["date_debut"]), _iso(r["date_fin"]), r["motif"], _iso(r["reouverture_prevue"])]
            for r in periods.iter_rows(named=True)
        ]
    if editable:
        _buttons(user, fiche, _changed(data, values), extra=True)


def _code_select(where, label: str, labels: dict, data: dict, field: str, key: str, *, disabled, placeholder=None):
    """A choice in a code list (code -> label), from the draft's value, kept while another fiche is shown."""
    return where.selectbox(
        label,
        list(labels),
        index=_index(labels, data.get(field)),
        format_func=labels.get,
        key=key,
        persist_state="page",
        disabled=disabled,
        placeholder=placeholder,
    )


def _identification(fiche: dict, siblings: list[dict], *, editable: bool) -> dict:
    """Name (with the naming rules), type, champ, discipline, mode, temporalité, responsable and contacts; warns
    of a unit of the EG that looks the same."""
    data, fid, off = fiche["data"], fiche["fiche_id"], not editable
    name_key = f"dos_uo_nom_{fid}"
    values = {"nom": name_input("Nom de l'unité *", name_key, data.get("nom"), disabled=off)}
    naming_place = st.container()  # the rules are checked against the type, mode and temporalité chosen below
    left, right = st.columns(2)
    for where, label, labels, field, key, placeholder in (
        (left, "Type d'UO *", options("TRE_R244"), "type_code", "type", None),
        (right, "Champ d'activité", options("TRE_R227"), "champ_code", "champ", None),
        (left, "Discipline *", DISCIPLINES, "discipline", "disc", None),
        (right, "Mode de prise en charge", options("TRE_R213"), "mode_pec_code", "mode", "Aucun"),
        (left, "Temporalité d'accueil", options("TRE_R240"), "temporalite_code", "temp", "Aucune"),
    ):
        values[field] = _code_select(
            where, label, labels, data, field, f"dos_uo_{key}_{fid}", disabled=off, placeholder=placeholder
        )
    organisation = dict(queries.rows(cursor(), "eg_organisation", finess_eg=fiche["finess_eg"]))
    if organisation or data.get("oi_id") is not None:  # a médico-social EG has none: nothing to choose
        values["oi_id"] = st.selectbox(
            "Organisation interne",
            list(organisation),
            index=_index(organisation, data.get("oi_id")),
            format_func=organisation.get,
            key=f"dos_uo_oi_{fid}",
            persist_state="page",
            disabled=off,
            placeholder="Directement dans l'établissement",
            help="Le pôle, le service ou l'unité fonctionnelle (UF) qui porte l'unité.",
        )
    kind = unit_kind(values["type_code"], values["mode_pec_code"], values["temporalite_code"])
    with naming_place:
        render_unit_naming(values["nom"], name_key, kind, editable=editable)
    st.markdown("**Responsable et contacts**")
    left, right = st.columns(2)
    with left:
        values["responsable_nom"] = _text(
            "Nom du responsable", data, "responsable_nom", f"dos_uo_resp_{fid}", mandatory=True, disabled=off
        )
        values["responsable_telephone"] = _text(
            "Téléphone du responsable", data, "responsable_telephone", f"dos_uo_rtel_{fid}", disabled=off
        )
        values["telephone"] = _text("Téléphone", data, "telephone", f"dos_uo_tel_{fid}", disabled=off)
    with right:
        values["responsable_fonction"] = _text(
            "Fonction du responsable (médecin, cadre infirmier…)",
            data,
            "responsable_fonction",
            f"dos_uo_rfonc_{fid}",
            disabled=off,
        )
        values["responsable_email"] = _text(
            "E-mail du responsable", data, "responsable_email", f"dos_uo_rmail_{fid}", mandatory=True, disabled=off
        )
        values["email"] = _text("E-mail", data, "email", f"dos_uo_mail_{fid}", disabled=off)
    candidate = {
        **data,
        **values,
        "public_enfants": data.get("public_enfants"),
        "public_adultes": data.get("public_adultes"),
    }
    alike = naming.similar_units(candidate, [s for s in siblings if s["fiche_id"] != fid])
    if alike and not fiche["finalise"]:
        st.warning(
            "Cette unité ressemble à une unité de l'établissement (même type, même public, nom proche) : "
            + ", ".join(f"« {md(u['nom'])} »" for u in alike)
            + ". Vérifiez que ce n'est pas un doublon.",
            icon=":material/content_copy:",
        )
    return values


def _activities(data: dict, fid: int, discipline: str | None, *, disabled: bool) -> dict[str, list[str]]:
    """The unit's code lists (activités, spécialisations …), those its discipline requires marked *."""
    codes = dict(data.get("codes") or {})
    for system, title in UO_CODE_SYSTEMS.items():
        labels = options(system)
        codes[system] = st.multiselect(
            title + (" *" if system in dossiers.mandatory_codes(discipline) else ""),
            list(labels),
            default=[c for c in codes.get(system, []) if c in labels],
            format_func=labels.get,
            key=f"dos_uo_codes_{system}_{fid}",
            persist_state="page",
            disabled=disabled,
            placeholder="Tapez pour chercher",
        )
    return {system: sorted(found) for system, found in codes.items() if found}


def _patientele(data: dict, fid: int, *, disabled: bool) -> dict:
    """Children and / or adults, the age range, lits and places."""
    left, right = st.columns(2)
    values = {
        field: where.checkbox(
            label, bool(data.get(field)), key=f"dos_uo_{key}_{fid}", persist_state="page", disabled=disabled
        )
        for where, label, field, key in (
            (left, "Enfants", "public_enfants", "enf"),
            (right, "Adultes", "public_adultes", "adu"),
        )
    }
    for where, label, field, maximum, placeholder in (
        (left, "Âge minimum", "age_min", 120, "Sans minimum"),
        (right, "Âge maximum", "age_max", 120, "Sans maximum"),
        (left, "Lits", "lits", 5000, "—"),
        (right, "Places", "places", 5000, "—"),
    ):
        values[field] = where.number_input(
            label,
            0,
            maximum,
            data.get(field),
            key=f"dos_uo_{field}_{fid}",
            disabled=disabled,
            placeholder=placeholder,
            persist_state="page",
        )
    return values


def _iso(value) -> str | None:
    """A date of the closings editor as the dossier stores it ('2026-07-31'); the editor may give a datetime."""
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _index(labels: dict, code: str | None) -> int | None:
    return list(labels).index(code) if code in labels else None


def _closings_frame(rows: list[list]) -> pl.DataFrame:
    def day(value):
        return dt.date.fromisoformat(value) if value else None

    return pl.DataFrame(
        {
            "date_debut": [day(r[0]) for r in rows],
            "date_fin": [day(r[1]) for r in rows],
            "motif": [r[2] for r in rows],
            "reouverture_prevue": [day(r[3]) for r in rows],
        },
        schema={"date_debut": pl.Date, "date_fin": pl.Date, "motif": pl.String, "reouverture_prevue": pl.Date},
    )
