"""The support régional's contacts, shown on the « Aide » page and the sign-in page: administrator settings, the
ROR-IF guide's own by default (« Contacter le support SESAN (du lundi au vendredi de 8h à 20h) »)."""

from __future__ import annotations

import duckdb

from ror.core import audit, db, validation
from ror.core.auth import User
from ror.core.permissions import require
from ror.core.validation import ValidationError

DEFAULTS = {
    "support_telephone": "01 83 76 30 31",
    "support_email": "support@sesan.fr",
    "support_horaires": "du lundi au vendredi de 8 h à 20 h",
    "support_formulaire": "https://formulaire-support.sante-idf.fr",
}
LABELS = {
    "support_telephone": "Téléphone",
    "support_email": "E-mail",
    "support_horaires": "Horaires",
    "support_formulaire": "Formulaire de demande",
}


def contacts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The support's contacts (each setting, else its default)."""
    return DEFAULTS | db.settings(con, list(DEFAULTS))


def set_contacts(con: duckdb.DuckDBPyConnection, user: User, values: dict[str, str]) -> dict[str, str]:
    """The administrator changes the support's contacts; each one checked (ValidationError names every wrong one).
    Journaled. Returns them as saved."""
    user = require(con, user, "parametres")
    errors, cleaned = {}, {}
    for key in DEFAULTS:
        value = (values.get(key) or "").strip()
        try:
            if key == "support_telephone":
                value = validation.phone(value, key)
            elif key == "support_email":
                value = validation.email(value, key)
            elif key == "support_formulaire" and value and not value.startswith("https://"):
                raise ValidationError({key: "L'adresse du formulaire commence par « https:// »."})
            else:
                value = validation.text(value, key, label=f"Le champ « {LABELS[key]} »")
        except ValidationError as exc:
            errors |= exc.errors
            continue
        if not value:
            errors[key] = f"Le champ « {LABELS[key]} » est obligatoire."
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    with db.transaction(con):
        before = contacts(con)
        for key, value in cleaned.items():
            db.set_setting(con, key, value)
        audit.record(con, user.login, "parametre", "SETTING", "support", before, cleaned)
    return cleaned
