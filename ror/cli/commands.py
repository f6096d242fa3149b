"""What each command does and prints (ror/cli/__init__.py dispatches; ror/cli/parser.py declares the arguments)."""

from __future__ import annotations

import errno
import getpass
import json
import os
import sys
from pathlib import Path

import duckdb

from ror.administration import finess_import, installation, offer_export, screen_exports
from ror.core import auth, db
from ror.recherche import search, search_index
from ror.recherche.filters import Filters

IN_THE_APP = {
    "import-finess": "Sans l'arrêter : page « Import FINESS » (Administration).",
    "export": "Sans l'arrêter : page « Export de l'offre » (Administration).",
    "backup": "Sans l'arrêter : page « Sauvegarde » (Administration), qui télécharge la même copie.",
    "publish-due": "Sans l'arrêter : l'application publie elle-même les dossiers échus à la première page du jour.",
    "search": "Sans l'arrêter : page « Recherche ».",
    "check": "Sans l'arrêter : page « Qualité des données » (Territoire).",
    "migrate": "Sans l'arrêter : l'application applique elle-même les migrations à son démarrage.",
    "restore": "Une restauration se fait toujours application arrêtée.",
    "bench": "Le banc se lance toujours application arrêtée.",
}


def print_progress(fraction: float, message: str) -> None:
    bar = "#" * int(fraction * 30)
    print(f"\r[{bar:<30}] {fraction:4.0%}  {message:<70}", end="" if fraction < 1 else "\n", flush=True)


def open_up_to_date(path: Path) -> duckdb.DuckDBPyConnection:
    """The database with its pending migrations applied and its search index fresh (an older demo database
    keeps working). Opening read-write costs nothing more: the app, when running, locks the file anyway."""
    con = db.connect(path)
    db.migrate(con)
    search_index.ensure_fresh(con)
    return con


def bench(path: Path, args) -> int:
    import bench  # the benchmark lives beside ror/ (it drives the pages with Streamlit's AppTest)

    open_up_to_date(path).close()
    if args.load:
        from bench import load

        reading_s = load.READING_S if args.lecture is None else args.lecture
        browsers = load.BROWSERS if args.navigateurs is None else args.navigateurs
        found = load.run_passes(path, args.load, args.repetitions or 1, reading_s=reading_s, browsers=browsers)
        print(json.dumps(found, ensure_ascii=False, indent=1) if args.format == "json" else load.text_report(found))
        return 0 if found["errors"] == 0 else 1
    found = bench.measure(path, repetitions=args.repetitions or 3, with_pages=not args.sans_pages)
    print(json.dumps(found, ensure_ascii=False, indent=1) if args.format == "json" else bench.text_report(found))
    return 0


def is_demo_file(path: Path) -> bool:
    """Whether the existing file at `path` is a demo base (build-demo replaces only those, or unreadable files)."""
    try:
        con = db.connect(path, read_only=True)
    except db.DatabaseUnreadable:
        return True  # not a base at all: nothing of value to keep from a rebuild
    try:
        tables = {t for (t,) in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
        return "setting" not in tables or auth.is_demo_base(con)
    finally:
        con.close()


def _admin_password() -> str:
    """The first administrator's password: $ROR_ADMIN_PASSWORD, or asked twice on the terminal (never printed)."""
    if password := os.environ.get("ROR_ADMIN_PASSWORD"):
        return password
    if not sys.stdin.isatty():
        raise installation.InstallationError(
            "Mot de passe de l'administrateur absent : définissez ROR_ADMIN_PASSWORD ou lancez la commande dans "
            "un terminal."
        )
    password = getpass.getpass("Mot de passe provisoire de l'administrateur : ")
    if getpass.getpass("Le même, une seconde fois : ") != password:
        raise installation.InstallationError("Les deux saisies du mot de passe sont différentes : rien n'a été créé.")
    return password


def init(path: Path, args) -> int:
    try:
        counts = installation.init_base(
            path,
            args.admin,
            _admin_password(),
            prenom=args.prenom,
            nom=args.nom,
            email=args.email,
            progress=print_progress,
        )
    except installation.InstallationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(
        f"Base de production {path} créée : {counts['commune']} communes, {counts['nomenclature']} codes de "
        f"nomenclature, aucun établissement. Administrateur : {args.admin.strip().lower()} (mot de passe provisoire "
        "à changer à la première connexion). Étape suivante : python -m ror import-finess FICHIER --db "
        f"{path}"
    )
    return 0


def backup(path: Path, args) -> int:
    target = args.out / installation.backup_name()
    con = db.connect(path)
    try:
        counts = installation.backup(con, target)
    except (installation.InstallationError, OSError) as exc:
        print(
            str(exc) if not isinstance(exc, OSError) else f"Impossible d'écrire {target} : {_os_error(exc)}.",
            file=sys.stderr,
        )
        return 1
    finally:
        con.close()
    print(f"Sauvegarde écrite : {target} ({counts['eg']} EG, {counts['uo']} UO, {counts['app_user']} comptes).")
    return 0


def restore(path: Path, args) -> int:
    if path.exists():
        db.connect(path).close()  # DatabaseLocked when the app holds it: nothing is replaced under it
    try:
        counts, kept = installation.restore(args.fichier, path)
    except installation.InstallationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(
        f"Base {path} restaurée depuis {args.fichier} : {counts['eg']} EG, {counts['uo']} UO, "
        f"{counts['app_user']} comptes." + (f" La base remplacée est gardée sous {kept}." if kept else "")
    )
    return 0


def run_search(con, args) -> int:
    try:
        place = search.resolve_place(con, args.ou) if args.ou else None
        query = search.SearchQuery(
            ou=place,
            quoi=search.query_terms([], args.quoi),
            rayon_km=args.rayon,
            filters=Filters(ouvert=args.ouvert),
            tri=args.tri,
            instant=args.le,
        )
        result = search.search(con, query)
    except (search.SearchError, search_index.StaleIndex) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(screen_exports.search_text(result, search.units(con, result), args.format, limit=args.limite), end="")
    return 0


def import_finess(path: Path, fichier: Path) -> int:
    try:
        data = fichier.read_bytes()
    except OSError as exc:
        print(f"Fichier illisible : {fichier} ({_os_error(exc)}).", file=sys.stderr)
        return 1
    con = open_up_to_date(path)
    try:
        report = finess_import.import_finess(con, data, fichier.name, progress=print_progress)
    except finess_import.FinessFileError as exc:
        print()  # ends the progress line
        print(f"{fichier} : {exc} Rien n'a été importé.", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(report.text(), end="")
    return 0


OS_ERRORS = {
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EISDIR: "c'est un dossier",
    errno.ENOENT: "dossier introuvable",
}


def _os_error(exc: OSError) -> str:
    """Why a file could not be written, in French."""
    return OS_ERRORS.get(exc.errno, f"erreur système {exc.errno}")


def export(path: Path, args) -> int:
    con = db.connect(path, read_only=True)
    try:
        scope = offer_export.parse_scope(args.scope)
        since = offer_export.parse_instant(args.since) if args.since else None
        offer = offer_export.load(con, None, scope, since=since)
        content = offer_export.render(offer, args.format)
    except offer_export.ExportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        con.close()
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(content)
    except OSError as exc:
        print(f"Impossible d'écrire {args.out} : {_os_error(exc)}. Rien n'a été écrit.", file=sys.stderr)
        return 1
    print(
        f"{args.out} : {offer.ej.height} EJ, {offer.eg.height} EG, {offer.uo.height} UO ({offer.scope.label}"
        + (f", publiés depuis le {offer.since:%d/%m/%Y %H:%M}" if offer.since else "")
        + f"). Prochain --since : {offer_export.instant_text(offer.until)}"
    )
    return 0
