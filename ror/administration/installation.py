"""A production base: created empty (`init`), saved (`backup`) and brought back (`restore`).

`init` writes what every répertoire needs and nothing else: the schema, the nomenclatures, the communes and their
boundaries, the départements of the territory, and the first administrator with a temporary password (his first
sign-in goes to « Mon compte »). No establishment, no demo account: the establishments come from the FINESS import.
The base records that it is a production base, so that demo mode refuses to start on it. Every département starts in
the peuplement phase (ror/territoire/peuplement.py).

A backup is a whole copy of the base made by DuckDB itself (`COPY FROM DATABASE`), consistent even while the app
writes, since it is made by the process that holds the base. A restore never overwrites: the base it replaces is
kept beside it, renamed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

from ror.administration.accounts import login_error, password_error
from ror.core import audit, clock, db, reference
from ror.core.auth import BASE_NATURE_KEY, User, hash_password
from ror.core.errors import UserError
from ror.core.permissions import require
from ror.core.progress import Progress, no_progress
from ror.recherche import search_index

PRODUCTION_BASE = "production"
TERRITORY_NAME_KEY = "territoire_nom"
COUNTED = ("ej", "eg", "uo", "dossier", "anomalie", "app_user", "commune", "nomenclature", "audit")


class InstallationError(UserError):
    """An init, backup or restore that cannot be done, and why (French); nothing was changed."""


def init_base(
    path: Path,
    admin_login: str,
    password: str,
    *,
    prenom: str = "Administrateur",
    nom: str = "ROR",
    email: str | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Create the empty production base at `path` (which must not exist); returns its row counts."""
    step = progress or no_progress
    path = Path(path)
    if path.exists():
        raise InstallationError(
            f"La base {path} existe déjà : « init » ne crée qu'une base neuve et n'y a rien changé. "
            "Pour mettre à jour le schéma d'une base existante : python -m ror migrate."
        )
    login = (admin_login or "").strip().lower()
    if message := login_error(login) or password_error(password):
        raise InstallationError(message)
    step(0.1, "Création du schéma")
    with db.new_base(path, ".init") as con:
        step(0.3, "Nomenclatures, communes, contours et départements")
        with db.transaction(con):
            reference.load_reference(con)
            db.set_setting(con, BASE_NATURE_KEY, PRODUCTION_BASE)
            db.set_setting(con, TERRITORY_NAME_KEY, "Île-de-France")
            db.set_setting(con, "base_creee_le", clock.now().isoformat(timespec="seconds"))
            con.execute("UPDATE departement SET phase = 'peuplement', phase_depuis = current_timestamp")
            con.execute(
                "INSERT INTO app_user (user_id, login, prenom, nom, email, role, organisation, password_hash, "
                "doit_changer_mot_de_passe, mot_de_passe_donne_le, demo) VALUES (1, $login, $prenom, $nom, $email, "
                "'admin', 'Administration du ROR', $hash, TRUE, current_timestamp, FALSE)",
                {"login": login, "prenom": prenom, "nom": nom, "email": email, "hash": hash_password(password)},
            )
            audit.record(con, "init (ligne de commande)", "compte.creer", "UTILISATEUR", "1", None, {"login": login})
        step(0.8, "Index de recherche")
        search_index.refresh(con)
        counts = row_counts(con)
    step(1.0, "Base de production prête")
    return counts


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The number of rows of the main tables (fixed names, never user text)."""
    return {table: con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0] for table in COUNTED}


def backup(con: duckdb.DuckDBPyConnection, target: Path) -> dict[str, int]:
    """Write a whole, consistent copy of the open base to `target` (a new file); returns its row counts."""
    target = Path(target)
    if target.exists():
        raise InstallationError(f"Le fichier {target} existe déjà : la sauvegarde n'écrase rien.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partielle")
    partial.unlink(missing_ok=True)
    source = con.sql("SELECT current_database()").fetchall()[0][0]
    con.execute("ATTACH $path AS ror_sauvegarde", {"path": str(partial)})
    try:
        quoted = source.replace('"', '""')  # the name DuckDB gave the open base: its file's, quoted as an identifier
        con.execute(f'COPY FROM DATABASE "{quoted}" TO ror_sauvegarde')
    finally:
        con.execute("DETACH ror_sauvegarde")
    os.replace(partial, target)
    copy = duckdb.connect(str(target), read_only=True)
    try:
        return row_counts(copy)
    finally:
        copy.close()


def backup_name(now: dt.datetime | None = None) -> str:
    return f"ror-sauvegarde-{(now or clock.now()):%Y%m%d-%H%M%S}.duckdb"


def backup_for_download(con: duckdb.DuckDBPyConnection, user: User, folder: Path) -> Path:
    """The administrator's backup from the app: written in `folder` (a temporary one), journaled."""
    user = require(con, user, "sauvegarde")
    target = Path(folder) / backup_name()
    counts = backup(con, target)
    with db.transaction(con):
        audit.record(con, user.login, "base.sauvegarder", "BASE", target.name, None, counts)
    return target


def restore(source: Path, target: Path) -> tuple[dict[str, int], Path | None]:
    """Bring the backup `source` back as the base `target`. The base it replaces is kept beside it (renamed, its
    new name returned); a file that is not a ROR backup is refused and nothing changes. The caller has checked
    that no process holds `target`."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise InstallationError(f"Sauvegarde introuvable : {source}.")
    try:
        copy = duckdb.connect(str(source), read_only=True)
    except duckdb.Error as exc:
        message = f"{source} n'est pas une sauvegarde de la base du ROR (fichier DuckDB illisible)."
        raise InstallationError(message) from exc
    try:
        tables = {t for (t,) in copy.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not {"schema_migration", "setting", "eg", "app_user"} <= tables:
            raise InstallationError(f"{source} n'est pas une sauvegarde de la base du ROR (tables absentes).")
    finally:
        copy.close()
    incoming = target.with_name(target.name + ".restauration")
    shutil.copyfile(source, incoming)
    con = duckdb.connect(str(incoming))
    try:
        db.migrate(con)  # a backup of an older version is brought up to date
        search_index.ensure_fresh(con)
        counts = row_counts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    kept = None
    if target.exists():
        kept = target.with_name(f"{target.stem}.avant-restauration-{clock.now():%Y%m%d-%H%M%S}{target.suffix}")
        os.replace(target, kept)
        if Path(f"{target}.wal").exists():  # changes not yet checkpointed belong to the base kept
            os.replace(f"{target}.wal", f"{kept}.wal")
    os.replace(incoming, target)
    return counts, kept
