"""The demo accounts: one per role, with real-looking names and a territory or an EG each."""

from __future__ import annotations

import duckdb

from ror.core import db
from ror.core.auth import BASE_NATURE_KEY, DEMO_BASE, hash_password

DEMO_PASSWORD = "demo-ror-2026"

# login, prénom, nom, role, organisation, départements
DEMO_USERS = (
    ("directeur", "Claire", "Fontaine", "directeur", None, ()),
    ("referent", "Julien", "Marchand", "referent", None, ()),
    ("tutelle93", "Nadia", "Benali", "tutelle", "ARS Île-de-France – DD de Seine-Saint-Denis", ("93",)),
    (
        "tutelle-pc",
        "Olivier",
        "Lemaire",
        "tutelle",
        "ARS Île-de-France – DD de la petite couronne",
        ("75", "92", "93", "94"),
    ),
    ("support", "Sophie", "Garnier", "support", "Support régional ROR Île-de-France", ()),
    ("admin", "Marc", "Perrin", "admin", "GIP SESAN – administration du ROR", ()),
    ("support2", "Thomas", "Robert", "support", "Support régional ROR Île-de-France", ()),
)
# Accounts that exist to be given anomalies (a colleague of the support) but are not offered on the sign-in page.
NOT_LISTED = {"support2"}
LISTED = tuple(login for login, *_ in DEMO_USERS if login not in NOT_LISTED)  # one button each on the sign-in page


def demo_establishments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The EG of the demo directeur and référent, all in the 92: a real SAE site with SMR units (kept free of
    any dossier for a demo), a generated IME, and for the demo dossiers in every state a second SAE site, an
    EHPAD and a generated établissement of catégorie 182."""
    sanitaire = con.sql(
        "SELECT eg.finess_eg FROM eg JOIN uo USING (finess_eg) "
        "WHERE eg.departement = '92' AND eg.source = 'SAE 2023' AND uo.discipline = 'SMR' "
        "GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 1"
    ).fetchall()
    found = [sanitaire[0][0]]
    found += [
        r[0]
        for r in con.sql(
            "SELECT eg.finess_eg FROM eg JOIN uo USING (finess_eg) "
            "WHERE eg.departement = '92' AND eg.source = 'SAE 2023' AND eg.finess_eg > $first "
            "GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 1",
            params={"first": found[0]},
        ).fetchall()
    ]
    for categorie in ("183", "500", "182"):
        found += [
            r[0]
            for r in con.sql(
                "SELECT min(finess_eg) FROM eg WHERE departement = '92' AND categorie_code = $c AND source = 'généré'",
                params={"c": categorie},
            ).fetchall()
            if r[0]
        ]
    return found


def create_demo_users(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the demo accounts (inside the caller's transaction), all flagged demo (they share the demo password),
    and record that the base is a demo base: demo mode starts on no other."""
    db.set_setting(con, BASE_NATURE_KEY, DEMO_BASE)
    password_hash = hash_password(DEMO_PASSWORD)
    establishments = demo_establishments(con)
    for user_id, (login, prenom, nom, role, organisation, departements) in enumerate(DEMO_USERS, start=1):
        con.execute(
            "INSERT INTO app_user (user_id, login, prenom, nom, email, role, organisation, password_hash, demo) "
            "VALUES ($id, $login, $prenom, $nom, $email, $role, $org, $hash, TRUE)",
            {
                "id": user_id,
                "login": login,
                "prenom": prenom,
                "nom": nom,
                "email": f"{login}@demo.ror-idf.fr",
                "role": role,
                "org": organisation,
                "hash": password_hash,
            },
        )
        for departement in departements:
            con.execute("INSERT INTO user_territoire VALUES ($id, $dep)", {"id": user_id, "dep": departement})
        if role in ("directeur", "referent"):
            for finess_eg in establishments:
                con.execute("INSERT INTO user_eg VALUES ($id, $eg)", {"id": user_id, "eg": finess_eg})
