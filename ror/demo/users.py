"""The demo accounts: one per role, with real-looking names and a territory or an EG each."""

from __future__ import annotations

import duckdb

from ror.auth import hash_password

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
)


def demo_establishments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The EG of the demo directeur and référent: a real SAE site in 92 with SMR units, and one
    generated médico-social establishment of the same département."""
    sanitaire = con.sql(
        "SELECT eg.finess_eg FROM eg JOIN uo USING (finess_eg) "
        "WHERE eg.departement = '92' AND eg.source = 'SAE 2023' AND uo.discipline = 'SMR' "
        "GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 1"
    ).fetchall()
    medicosocial = con.sql(
        "SELECT finess_eg FROM eg WHERE departement = '92' AND categorie_code = '183' ORDER BY 1 LIMIT 1"
    ).fetchall()
    return [r[0] for r in sanitaire + medicosocial]


def create_demo_users(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the demo accounts (inside the caller's transaction)."""
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
