"""The account form of the Comptes page (creation and change), and the temporary password shown once."""

from __future__ import annotations

import polars as pl
import streamlit as st

import queries
from components.data import cursor
from components.text import md
from ror.administration import accounts
from ror.administration.accounts import ESTABLISHMENT_ROLES, Account
from ror.core.auth import ROLE_LABELS, User
from ror.core.reference import DEPARTEMENT_NAMES

PASSWORD_KEY = "cpt_mot_de_passe"  # (login, temporary password), shown once


@st.cache_data(show_spinner=False, max_entries=2)
def establishment_choices(_version: int) -> dict[str, str]:
    return dict(queries.rows(cursor(), "eg_choices"))


def roles_for(user: User) -> dict[str, str]:
    """The roles this user may give (only an administrator gives the administrator's)."""
    return {code: label for code, label in ROLE_LABELS.items() if accounts.may_give(user, code)}


def account_form(user: User, prefix: str, values: dict, version: int) -> Account:
    """Identity, role and the scope that goes with the role; `values` fills it (an existing account)."""
    roles = roles_for(user)
    if values.get("role") and values["role"] not in roles:
        roles = ROLE_LABELS  # shown, refused on saving by ror/administration/accounts.py
    left, right = st.columns(2)
    login = left.text_input("Identifiant *", value=values.get("login", ""), key=f"{prefix}_login")
    email = right.text_input("E-mail *", value=values.get("email") or "", key=f"{prefix}_email")
    prenom = left.text_input("Prénom *", value=values.get("prenom", ""), key=f"{prefix}_prenom")
    nom = right.text_input("Nom *", value=values.get("nom", ""), key=f"{prefix}_nom")
    codes = list(roles)
    role = left.selectbox(
        "Rôle *",
        codes,
        format_func=roles.get,
        index=codes.index(values["role"]) if values.get("role") in codes else None,
        placeholder="Choisissez un rôle",
        key=f"{prefix}_role",
    )
    organisation = right.text_input(
        "Organisation", value=values.get("organisation") or "", key=f"{prefix}_organisation"
    )
    departements, finess_eg = (), ()
    if role == "tutelle":
        departements = st.multiselect(
            "Départements de son territoire *",
            list(DEPARTEMENT_NAMES),
            default=values.get("departements") or [],
            format_func=lambda d: f"{d} – {DEPARTEMENT_NAMES[d]}",
            placeholder="Choisissez un ou plusieurs départements",
            key=f"{prefix}_departements",
        )
    elif role in ESTABLISHMENT_ROLES:
        choices = establishment_choices(version)
        finess_eg = st.multiselect(
            "Établissements (EG) *",
            list(choices),
            default=[e for e in values.get("finess_eg") or [] if e in choices],
            format_func=choices.get,
            placeholder="Tapez un nom ou un FINESS",
            key=f"{prefix}_etablissements",
        )
    return Account(login, prenom, nom, email, role, organisation, tuple(departements), tuple(finess_eg))


def render_temporary_password() -> None:
    """The temporary password just given, once: the support passes it on; it must be changed at sign-in."""
    if shown := st.session_state.pop(PASSWORD_KEY, None):
        login, password = shown
        st.success(
            f"Mot de passe provisoire du compte « {md(login)} » (affiché une seule fois, à transmettre à son "
            "titulaire, qui le changera à sa première connexion) :",
            icon=":material/key:",
        )
        st.code(password, language=None)


def scope_text(row: dict) -> str:
    if row["departements"]:
        return "Départements " + ", ".join(row["departements"])
    if row["etablissements"]:
        return row["etablissements"]
    return "Île-de-France"


def accounts_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The list as shown: labels, not codes."""
    return frame.select(
        pl.col("login").alias("Identifiant"),
        (pl.col("prenom") + " " + pl.col("nom")).alias("Nom"),
        pl.col("role").replace_strict(ROLE_LABELS).alias("Rôle"),
        pl.col("organisation").fill_null("").alias("Organisation"),
        pl.struct("departements", "etablissements").map_elements(scope_text, return_dtype=pl.String).alias("Périmètre"),
        pl.when(pl.col("actif")).then(pl.lit("Actif")).otherwise(pl.lit("Désactivé")).alias("État"),
        pl.col("last_login_at").dt.strftime("%d/%m/%Y %H:%M").fill_null("jamais").alias("Dernière connexion"),
    )
