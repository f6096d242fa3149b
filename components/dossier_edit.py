"""The fiches of a dossier collaboratif: the small tree (grey until finalised, green after), the EG and UO
editors with the live naming checks, the creation of a unit, and the read-only view of a locked fiche.

The rules (checks, permissions, states, naming) are in ror/dossiers/ and ror/dossiers/naming.py; this only collects
what is typed and shows the messages.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import streamlit as st

import queries
from components.data import cursor
from components.feedback import attempt
from components.fiche_edit import closings_editor, contact_inputs
from components.text import md
from components.week_editor import week_editor
from ror import dossiers
from ror.core.auth import User
from ror.core.finess import finess_error
from ror.core.reference import DISCIPLINES, UO_CODE_SYSTEMS
from ror.dossiers import naming
from ror.dossiers.drafts import MANDATORY_EG

SELECTED = "dos_fiche_"  # + dossier id: the fiche shown on the right
ACTION_TAGS = {"ajoute": "nouvelle", "modifie": "modifiée", "ferme": "fermée", "inchange": ""}


NEW_UNIT = "dos_nouvelle_uo"  # the dossier whose « Nouvelle unité opérationnelle » form is open


@st.cache_data(show_spinner=False, max_entries=32)
def options(system: str) -> dict[str, str]:
    """code -> label of a code list, by label (reference data: it does not change while the app runs)."""
    frame = queries.run(cursor(), "nomenclature_labels", systems=[system])
    twice = {label for label in frame["libelle"] if (frame["libelle"] == label).sum() > 1}
    # a few labels carry two codes (e.g. R211 233 and 456): the code tells them apart, and a choice made on
    # the label alone would not come back as the same code
    return {
        code: f"{label} ({code})" if label in twice else label
        for code, label in zip(frame["code"], frame["libelle"], strict=True)
    }


@st.cache_data(show_spinner=False, max_entries=1)
def communes() -> dict[str, str]:
    return dict(queries.rows(cursor(), "communes"))


def _run(action, success: str) -> None:
    """Run a dossier action; show its French error(s) (what was typed stays), or confirm and reload."""
    if attempt(action)[0]:
        st.toast(success)
        st.rerun()


def _select(dossier_id: int, fiche_id: int) -> None:
    st.session_state[SELECTED + str(dossier_id)] = fiche_id


def _created(dossier_id: int, fiche_id: int) -> None:
    st.session_state.pop("dos_nouvelle_uo", None)
    _select(dossier_id, fiche_id)


# ---------------------------------------------------------------------------------------------------------
# The tree of fiches


def render_fiche_tree(dossier_id: int, fiches: pl.DataFrame, *, editable: bool) -> int:
    """The EG then its units, each grey until finalised and green after; returns the fiche chosen."""
    key = SELECTED + str(dossier_id)
    ids = fiches["fiche_id"].to_list()
    if st.session_state.get(key) not in ids:
        st.session_state[key] = ids[0]
    done = fiches["finalise"].sum()
    st.progress(done / len(ids), text=f"{done} / {len(ids)} fiches finalisées")
    for row in fiches.iter_rows(named=True):
        icon = ":green[:material/check_circle:]" if row["finalise"] else ":gray[:material/radio_button_unchecked:]"
        tag = ACTION_TAGS[row["action"]]
        label = f"{icon} {'**Établissement** · ' if row['niveau'] == 'EG' else ''}{md(row['nom'])}"
        if tag:
            label += f" · :orange[*{tag}*]"
        chosen = st.session_state[key] == row["fiche_id"]
        indent = st.container() if row["niveau"] == "EG" else st.columns([0.06, 0.94])[1]
        indent.button(
            label,
            key=f"dos_arbre_{row['fiche_id']}",
            type="secondary" if chosen else "tertiary",
            width="stretch",
            on_click=_select,
            args=(dossier_id, row["fiche_id"]),
        )
    if editable and st.button("Créer une unité opérationnelle", icon=":material/add:", key="dos_creer_uo"):
        st.session_state[NEW_UNIT] = dossier_id
    return st.session_state[key]


# ---------------------------------------------------------------------------------------------------------
# Naming checks shown under a name field


def _fix(key: str, suggestion: str) -> None:
    st.session_state[key] = suggestion


def name_input(label: str, key: str, initial: str | None, *, disabled: bool = False) -> str:
    """A name field whose value « Appliquer la correction » may replace (through the session state)."""
    st.session_state.setdefault(key, initial or "")
    return st.text_input(label, key=key, disabled=disabled, max_chars=200, persist_state="page")


def render_naming(problems: list[naming.NamingProblem], key: str, fixed: str, *, editable: bool) -> None:
    """Each broken naming rule, and a button applying the suggested fix to the field `key`."""
    if not problems:
        return
    st.warning("\n".join(f"- {md(p.message)}" for p in problems), icon=":material/spellcheck:")
    if editable:
        st.button(
            f"Appliquer la correction : « {md(fixed)} »",
            key=f"{key}_corriger",
            on_click=_fix,
            args=(key, fixed),
            type="tertiary",
            icon=":material/auto_fix_high:",
        )


# ---------------------------------------------------------------------------------------------------------
# Editors


def _buttons(user: User, fiche: dict, changes: dict, *, extra: bool = False) -> None:
    """« Enregistrer », « Enr. et finaliser » and, for a unit, « Dupliquer » and « Fermer » / « Supprimer »."""
    fiche_id = fiche["fiche_id"]
    cols = st.columns(4 if extra else 2)
    if cols[0].button("Enregistrer", key=f"dos_enr_{fiche_id}", icon=":material/save:", width="stretch"):
        _run(lambda: dossiers.save_fiche(cursor(), user, fiche_id, changes), "Fiche enregistrée.")
    if cols[1].button("Enr. et finaliser", key=f"dos_fin_{fiche_id}", type="primary", width="stretch"):
        _run(lambda: _finalise(user, fiche_id, changes), "Fiche finalisée.")
    if not extra:
        return
    if cols[2].button("Dupliquer", key=f"dos_dup_{fiche_id}", icon=":material/content_copy:", width="stretch"):
        _run(
            lambda: _select(fiche["dossier_id"], dossiers.duplicate_uo(cursor(), user, fiche_id)),
            "Unité dupliquée : renommez la copie.",
        )
    label = "Supprimer l'unité" if fiche["action"] == "ajoute" else "Fermer l'unité"
    if cols[3].button(label, key=f"dos_fermer_{fiche_id}", icon=":material/block:", width="stretch"):
        _run(lambda: dossiers.close_uo(cursor(), user, fiche_id), "Unité retirée du dossier.")


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


def _number(label: str, data: dict, field: str, key: str, maximum: int, placeholder: str, *, disabled, where) -> int:
    return where.number_input(
        label, 0, maximum, data.get(field), key=key, disabled=disabled, placeholder=placeholder, persist_state="page"
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
    official = frozenset(naming.normalise_name(eg["nom"]).split())
    render_naming(
        naming.usage_name_problems(values["nom_usage"], eg["nom"]),
        name_key,
        naming.fixed_name(values["nom_usage"], official),
        editable=editable,
    )
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
    """A unit of the dossier: identification (naming rules, look-alike units), activités, patientèle and
    capacity, semaine type, closing periods, responsable."""
    data, fid, off = fiche["data"], fiche["fiche_id"], not editable
    if fiche["action"] == "ferme":
        st.warning("Cette unité sera **fermée** à la publication du dossier.", icon=":material/block:")
        if editable and st.button("Annuler la fermeture", key=f"dos_rouvrir_{fid}", icon=":material/undo:"):
            _run(lambda: dossiers.reopen_uo(cursor(), user, fid), "L'unité reste ouverte.")
        return
    ident, activites, patientele, semaine, fermetures = st.tabs(
        ["Identification", "Activités", "Patientèle et capacité", "Semaine type", "Fermetures"]
    )
    values: dict = {}
    with ident:
        name_key = f"dos_uo_nom_{fid}"
        values["nom"] = name_input("Nom de l'unité *", name_key, data.get("nom"), disabled=off)
        render_naming(
            naming.name_problems(values["nom"]), name_key, naming.fixed_name(values["nom"]), editable=editable
        )
        types = options("TRE_R244")
        left, right = st.columns(2)
        values["type_code"] = left.selectbox(
            "Type d'UO *",
            list(types),
            index=_index(types, data.get("type_code")),
            format_func=types.get,
            key=f"dos_uo_type_{fid}",
            persist_state="page",
            disabled=off,
        )
        champs = options("TRE_R227")
        values["champ_code"] = right.selectbox(
            "Champ d'activité",
            list(champs),
            index=_index(champs, data.get("champ_code")),
            format_func=champs.get,
            key=f"dos_uo_champ_{fid}",
            persist_state="page",
            disabled=off,
        )
        values["discipline"] = left.selectbox(
            "Discipline *",
            list(DISCIPLINES),
            index=_index(DISCIPLINES, data.get("discipline")),
            format_func=DISCIPLINES.get,
            key=f"dos_uo_disc_{fid}",
            persist_state="page",
            disabled=off,
        )
        modes = options("TRE_R213")
        values["mode_pec_code"] = right.selectbox(
            "Mode de prise en charge",
            list(modes),
            index=_index(modes, data.get("mode_pec_code")),
            format_func=modes.get,
            key=f"dos_uo_mode_{fid}",
            persist_state="page",
            disabled=off,
            placeholder="Aucun",
        )
        temporalites = options("TRE_R240")
        values["temporalite_code"] = left.selectbox(
            "Temporalité d'accueil",
            list(temporalites),
            index=_index(temporalites, data.get("temporalite_code")),
            format_func=temporalites.get,
            key=f"dos_uo_temp_{fid}",
            persist_state="page",
            disabled=off,
            placeholder="Aucune",
        )
        st.markdown("**Responsable et contacts**")
        left, right = st.columns(2)
        with left:
            values["responsable_nom"] = _text(
                "Nom du responsable", data, "responsable_nom", f"dos_uo_resp_{fid}", mandatory=True, disabled=off
            )
            values["telephone"] = _text("Téléphone", data, "telephone", f"dos_uo_tel_{fid}", disabled=off)
        with right:
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
    codes = dict(data.get("codes") or {})
    with activites:
        for system, title in UO_CODE_SYSTEMS.items():
            labels = options(system)
            codes[system] = st.multiselect(
                title + (" *" if system in dossiers.mandatory_codes(values["discipline"]) else ""),
                list(labels),
                default=[c for c in codes.get(system, []) if c in labels],
                format_func=labels.get,
                key=f"dos_uo_codes_{system}_{fid}",
                persist_state="page",
                disabled=off,
                placeholder="Tapez pour chercher",
            )
    values["codes"] = {system: sorted(found) for system, found in codes.items() if found}
    with patientele:
        left, right = st.columns(2)
        values["public_enfants"] = left.checkbox(
            "Enfants", bool(data.get("public_enfants")), key=f"dos_uo_enf_{fid}", persist_state="page", disabled=off
        )
        values["public_adultes"] = right.checkbox(
            "Adultes", bool(data.get("public_adultes")), key=f"dos_uo_adu_{fid}", persist_state="page", disabled=off
        )
        values["age_min"] = _number(
            "Âge minimum", data, "age_min", f"dos_uo_amin_{fid}", 120, "Sans minimum", disabled=off, where=left
        )
        values["age_max"] = _number(
            "Âge maximum", data, "age_max", f"dos_uo_amax_{fid}", 120, "Sans maximum", disabled=off, where=right
        )
        values["lits"] = _number("Lits", data, "lits", f"dos_uo_lits_{fid}", 5000, "—", disabled=off, where=left)
        values["places"] = _number(
            "Places", data, "places", f"dos_uo_places_{fid}", 5000, "—", disabled=off, where=right
        )
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
        changes = _changed(data, values)
        _buttons(user, fiche, changes, extra=True)


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


# ---------------------------------------------------------------------------------------------------------
# Creating a unit


def render_new_unit_form(user: User, dossier_id: int, eg: dict, siblings: list[dict]) -> None:
    """« Créer une unité opérationnelle », one at a time: type (those of the EG's catégorie first, ★), the
    name from the naming rule (editable), then the new fiche opens to be completed and finalised."""
    types = queries.run(cursor(), "uo_types", categorie=eg.get("categorie_code"))
    fitting = set(types.filter(pl.col("adapte"))["code"])
    labels = dict(zip(types["code"], types["libelle"], strict=True))
    st.caption("★ : types d'UO déjà utilisés par les établissements de la même catégorie, proposés en premier.")
    type_code = st.selectbox(
        "Type d'UO *",
        list(labels),
        index=None,
        format_func=lambda c: f"★ {labels[c]}" if c in fitting else labels[c],
        key="dos_new_type",
        placeholder="Choisissez le type d'unité",
    )
    if type_code is None:
        return
    modes, temporalites = options("TRE_R213"), options("TRE_R240")
    left, right = st.columns(2)
    mode = left.selectbox(
        "Mode de prise en charge",
        list(modes),
        index=None,
        format_func=modes.get,
        key="dos_new_mode",
        placeholder="Aucun",
    )
    temporalite = right.selectbox(
        "Temporalité d'accueil",
        list(temporalites),
        index=None,
        format_func=temporalites.get,
        key="dos_new_temp",
        placeholder="Aucune",
    )
    surnom = left.text_input("Surnom (facultatif)", key="dos_new_surnom", help="Complète le nom : ex. « LES TILLEULS »")
    caj = mode == "47" and right.checkbox(
        "Centre d'accueil de jour (CAJ)", key="dos_new_caj", help="Exception du ROR : le nom commence par « CAJ »."
    )
    proposed = naming.uo_name(
        type_code, labels[type_code], modes.get(mode), temporalites.get(temporalite), surnom or None, caj=caj
    )
    name_key = "dos_new_nom_" + proposed  # a new proposal when the choices change
    name = name_input("Nom de l'unité *", name_key, proposed)
    render_naming(naming.name_problems(name), name_key, naming.fixed_name(name), editable=True)
    candidate = {"nom": name, "type_code": type_code, "public_enfants": False, "public_adultes": True}
    alike = naming.similar_units(candidate, siblings)
    if alike:
        st.warning(
            "Une unité proche existe déjà (même type, même public) : "
            + ", ".join(f"« {md(u['nom'])} »" for u in alike)
            + ". Vérifiez que ce n'est pas un doublon.",
            icon=":material/content_copy:",
        )
    if st.button("Créer l'unité", type="primary", key="dos_new_creer"):
        data = {
            "nom": naming.normalise_name(name),
            "type_code": type_code,  # champ and discipline: ror/dossiers.add_uo's defaults for the type
            "mode_pec_code": mode,
            "temporalite_code": temporalite,
        }
        _run(
            lambda: _created(dossier_id, dossiers.add_uo(cursor(), user, dossier_id, data)),
            "Unité créée : complétez sa fiche puis finalisez-la.",
        )


def fiche_dicts(fiches: pl.DataFrame) -> list[dict]:
    """The fiches with their data decoded."""
    return [{**row, "data": json.loads(row["data"])} for row in fiches.iter_rows(named=True)]
