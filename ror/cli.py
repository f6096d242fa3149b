"""The command line: build the demo database, check a database's integrity, apply migrations."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import getpass
import json
import os
import sys
import time
from pathlib import Path

import duckdb

from ror import dossiers
from ror.administration import finess_import, installation, offer_export, screen_exports
from ror.core import auth, config, db
from ror.demo.builder import SCALES, build_demo
from ror.recherche import search, search_index
from ror.recherche.filters import Filters
from ror.territoire import checks


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ror",
        description="Répertoire Opérationnel des Ressources d'Île-de-France : outils en ligne de commande.",
        epilog="La base est data/ror.duckdb, ou le fichier nommé par la variable d'environnement ROR_DB, "
        "ou --db. Une base ouverte par l'application en cours ne peut pas être ouverte ici : arrêtez-la d'abord.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    build = commands.add_parser(
        "build-demo",
        help="construire la base de démonstration (remplace la base existante)",
        description="Construit la base de démonstration : sites sanitaires réels (SAE 2023), offre "
        "médico-sociale générée, comptes de démonstration. La base précédente n'est remplacée qu'à la fin.",
    )
    build.add_argument("--scale", choices=SCALES, default="idf", help="idf (défaut) ou national (benchmarks)")
    build.add_argument("--seed", type=int, default=42, help="graine du générateur (défaut : 42)")
    build.add_argument("--db", type=Path, help="fichier de la base (défaut : $ROR_DB ou data/ror.duckdb)")
    build.add_argument("--if-missing", action="store_true", help="ne rien faire si la base existe déjà")

    init = commands.add_parser(
        "init",
        help="créer une base de production vide et son premier administrateur",
        description="Crée une base de production : schéma, nomenclatures, communes et contours, départements du "
        "territoire ; aucun établissement, aucun compte de démonstration (les établissements viennent ensuite de "
        "« import-finess »). Le mot de passe provisoire de l'administrateur est lu dans la variable "
        "ROR_ADMIN_PASSWORD ou demandé au terminal ; il doit être changé à la première connexion. "
        "Refuse un fichier existant.",
    )
    init.add_argument("--admin", required=True, metavar="IDENTIFIANT", help="identifiant du premier administrateur")
    init.add_argument("--prenom", default="Administrateur", help="son prénom (défaut : Administrateur)")
    init.add_argument("--nom", default="ROR", help="son nom (défaut : ROR)")
    init.add_argument("--email", help="son adresse e-mail (modifiable ensuite dans « Comptes »)")
    init.add_argument("--db", type=Path, help="fichier de la base à créer (défaut : $ROR_DB ou data/ror.duckdb)")

    check = commands.add_parser(
        "check",
        help="contrôler l'intégrité d'une base (code de sortie 1 si une erreur est trouvée)",
        description="Lignes orphelines, UO sans activité, EG sans coordonnées, FINESS invalides, codes "
        "hors nomenclature… Code de sortie 1 si une erreur est trouvée.",
    )
    check.add_argument("--db", type=Path, help="fichier de la base")

    find = commands.add_parser(
        "search",
        help="chercher l'offre autour d'un lieu (les mêmes résultats que la page Recherche)",
        description="Cherche les unités (UO) qui répondent à tous les termes de --quoi, autour du lieu --ou "
        "(commune, code postal, établissement ou FINESS), avec distance, temps estimé et statut à l'instant. "
        "Code de sortie 1 si la recherche est impossible (lieu inconnu, rayon hors bornes).",
    )
    find.add_argument("--ou", metavar="TEXTE", help="commune, code postal, nom ou FINESS d'établissement")
    find.add_argument("--quoi", metavar="TEXTE", default="", help="unité, type d'UO, activité, aptitude…")
    find.add_argument("--rayon", type=float, metavar="KM", help="rayon autour du lieu en km (défaut : sans limite)")
    find.add_argument("--tri", choices=tuple(search.SORTS), default="distance", help="ordre des résultats")
    find.add_argument("--ouvert", action="store_true", help="seulement les unités ouvertes à l'instant")
    find.add_argument(
        "--le",
        metavar="AAAA-MM-JJTHH:MM",
        type=dt.datetime.fromisoformat,
        help="instant du statut ouvert/fermé (défaut : maintenant, heure de Paris)",
    )
    find.add_argument("--format", choices=("table", "json", "csv"), default="table", help="format de sortie")
    find.add_argument("--limite", type=int, default=50, metavar="N", help="lignes affichées en table (défaut : 50)")
    find.add_argument("--db", type=Path, help="fichier de la base")

    bench = commands.add_parser(
        "bench",
        help="mesurer la recherche, l'arbre, les pages Territoire, la publication, l'export et chaque page",
        description="Rejoue un jeu fixe de recherches réalistes (lieu × ressource × filtres) avec leur plancher "
        "(parcours de l'index, distance, 10 plus proches) et l'ouverture du premier établissement de chacune, de "
        "saisies d'autocomplétion, de lectures de l'arbre du Répertoire, de calculs de couverture (offre × toutes "
        "les communes), le contrôle qualité de toute la base, la publication d'un dossier de 400 fiches (sur une "
        "copie), l'export FHIR de la région et la réexécution de chaque page pour chaque compte de démonstration "
        "qui la voit ; affiche médiane et 95e centile (docs/performance.md).",
    )
    bench.add_argument("--repetitions", type=int, default=3, help="passages sur le jeu (défaut : 3)")
    bench.add_argument(
        "--format", choices=("texte", "json"), default="texte", help="texte (défaut) ou json (clés stables)"
    )
    bench.add_argument("--sans-pages", action="store_true", help="sans les pages (plus rapide)")
    bench.add_argument(
        "--load",
        type=int,
        metavar="N",
        help="à la place : N sessions de navigateur à la fois sur le vrai serveur (recherche, affinage, fiche) "
        "pendant qu'une tutelle valide un dossier ; temps du serveur par exécution, seul et à N (code 1 si erreur)",
    )
    bench.add_argument("--db", type=Path, help="fichier de la base")

    migrate = commands.add_parser(
        "migrate", help="appliquer les migrations du schéma à une base existante et mettre à jour l'index de recherche"
    )
    migrate.add_argument("--db", type=Path, help="fichier de la base")

    finess = commands.add_parser(
        "import-finess",
        help="importer l'extrait FINESS des établissements (data.gouv.fr) : crée ou met à jour EJ et EG",
        description="Importe l'extrait FINESS des établissements publié sur data.gouv.fr (fichier latin-1 à "
        "lignes « structureet » et « geolocalisation », coordonnées Lambert 93) ou un CSV UTF-8 avec en-tête. "
        "Crée ou met à jour EJ et EG, ne supprime rien ; un second passage du même fichier ne change rien. "
        "Affiche le rapport (créés, modifiés avec les champs changés, inchangés, lignes rejetées et motif). "
        "Code de sortie 1 si le fichier n'est pas un extrait FINESS : rien n'est alors modifié.",
    )
    finess.add_argument("fichier", type=Path, metavar="FICHIER", help="le fichier FINESS (.csv)")
    finess.add_argument("--db", type=Path, help="fichier de la base")

    export = commands.add_parser(
        "export",
        help="exporter l'offre publiée (Excel, CSV ou FHIR R4) ou, avec --since, le flux de ce qui a changé",
        description="Exporte l'offre publiée d'un périmètre : Excel (une feuille par niveau EJ, EG, UO), CSV "
        "(une ligne par UO) ou FHIR R4 (un Bundle JSON selon le modèle d'exposition du ROR). Avec --since, "
        "seulement ce qui a été publié depuis cet instant : le flux de synchronisation d'un outil aval. "
        "L'instant de fin du flux est affiché : c'est le --since du passage suivant.",
    )
    export.add_argument("--format", choices=offer_export.FORMATS, required=True, help="xlsx, csv ou fhir")
    export.add_argument("--out", type=Path, required=True, metavar="FICHIER", help="le fichier à écrire")
    export.add_argument(
        "--scope",
        default="region",
        metavar="PÉRIMÈTRE",
        help="region (défaut), un département (92) ou une EJ (ej:750712184)",
    )
    export.add_argument(
        "--since", metavar="INSTANT", help="ISO 8601, ex. 2026-11-22T18:00:00+01:00 : seulement ce qui a changé depuis"
    )
    export.add_argument("--db", type=Path, help="fichier de la base")

    publish = commands.add_parser(
        "publish-due",
        help="publier les dossiers validés dont la date d'effet est arrivée",
        description="Publie les dossiers collaboratifs « publication programmée » dont la date d'effet est "
        "arrivée (l'application le fait aussi à sa première page de la journée). Chaque dossier est publié en "
        "entier ou pas du tout ; un échec est notifié à l'établissement.",
    )
    publish.add_argument("--db", type=Path, help="fichier de la base")

    save = commands.add_parser(
        "backup",
        help="sauvegarder la base (une copie complète et cohérente, restaurable par « restore »)",
        description="Écrit dans DOSSIER une copie complète de la base faite par DuckDB "
        "(ror-sauvegarde-AAAAMMJJ-HHMMSS.duckdb). Application lancée : téléchargez la sauvegarde depuis la page "
        "« Sauvegarde » (Administration).",
    )
    save.add_argument("--out", type=Path, required=True, metavar="DOSSIER", help="le dossier où l'écrire")
    save.add_argument("--db", type=Path, help="fichier de la base")

    restore = commands.add_parser(
        "restore",
        help="remettre en place une sauvegarde (la base remplacée est gardée à côté, renommée)",
        description="Remet en place la sauvegarde FICHIER comme base (--db), après l'avoir contrôlée et mise au "
        "schéma courant. La base remplacée n'est pas effacée : elle est renommée "
        "<base>.avant-restauration-AAAAMMJJ-HHMMSS.duckdb. L'application doit être arrêtée.",
    )
    restore.add_argument("fichier", type=Path, metavar="FICHIER", help="la sauvegarde (.duckdb)")
    restore.add_argument("--db", type=Path, help="fichier de la base à remplacer")
    return parser


# Where, in the running app, each command that needs the base can be done instead (DuckDB lets one process hold it).
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


def _print_progress(fraction: float, message: str) -> None:
    bar = "#" * int(fraction * 30)
    print(f"\r[{bar:<30}] {fraction:4.0%}  {message:<70}", end="" if fraction < 1 else "\n", flush=True)


def _open_up_to_date(path: Path) -> duckdb.DuckDBPyConnection:
    """The database with its pending migrations applied and its search index fresh (an older demo database
    keeps working). Opening read-write costs nothing more: the app, when running, locks the file anyway."""
    con = db.connect(path)
    db.migrate(con)
    search_index.ensure_fresh(con)
    return con


def _bench(path: Path, args) -> int:
    import bench  # the benchmark lives beside ror/ (it drives the pages with Streamlit's AppTest)

    _open_up_to_date(path).close()
    if args.load:
        from bench import load

        found = load.run_load(path, args.load)
        print(json.dumps(found, ensure_ascii=False, indent=1) if args.format == "json" else load.text_report(found))
        return 0 if found["errors"] == 0 else 1
    found = bench.measure(path, repetitions=args.repetitions, with_pages=not args.sans_pages)
    print(json.dumps(found, ensure_ascii=False, indent=1) if args.format == "json" else bench.text_report(found))
    return 0


def _is_demo_file(path: Path) -> bool:
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


def _init(path: Path, args) -> int:
    try:
        counts = installation.init_base(
            path,
            args.admin,
            _admin_password(),
            prenom=args.prenom,
            nom=args.nom,
            email=args.email,
            progress=_print_progress,
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


def _backup(path: Path, args) -> int:
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


def _restore(path: Path, args) -> int:
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


def _search(con, args) -> int:
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


def _import_finess(path: Path, fichier: Path) -> int:
    try:
        data = fichier.read_bytes()
    except OSError as exc:
        print(f"Fichier illisible : {fichier} ({_os_error(exc)}).", file=sys.stderr)
        return 1
    con = _open_up_to_date(path)
    try:
        report = finess_import.import_finess(con, data, fichier.name, progress=_print_progress)
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


def _export(path: Path, args) -> int:
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = args.db or config.db_path()
    try:
        if args.command == "build-demo":
            if args.if_missing and path.exists():
                print(f"Base existante conservée : {path}")
                return 0
            if path.exists() and not _is_demo_file(path):
                print(
                    f"{path} n'est pas une base de démonstration : « build-demo » ne la remplace pas. Choisissez un "
                    "autre fichier avec --db.",
                    file=sys.stderr,
                )
                return 1
            started = time.perf_counter()
            counts = build_demo(path, scale=args.scale, seed=args.seed, progress=_print_progress)
            elapsed = time.perf_counter() - started
            print(
                f"Base {path} construite en {elapsed:.1f} s : {counts['ej']} EJ, {counts['eg']} EG, "
                f"{counts['uo']} UO, {counts['commune']} communes, {counts['app_user']} comptes."
            )
            return 0
        if args.command == "init":
            return _init(path, args)
        if args.command == "restore":
            return _restore(path, args)
        if not path.exists():
            print(f"Base introuvable : {path}. Construisez-la avec « python -m ror build-demo ».", file=sys.stderr)
            return 2
        if args.command == "check":
            con = db.connect(path, read_only=True)
            try:
                results = checks.run_checks(con)
            finally:
                con.close()
            print(checks.report(results))
            return 1 if checks.has_errors(results) else 0
        if args.command == "search":
            con = _open_up_to_date(path)
            try:
                return _search(con, args)
            finally:
                con.close()
        if args.command == "bench":
            return _bench(path, args)
        if args.command == "migrate":
            con = db.connect(path)
            try:
                applied = db.migrate(con)
                search_index.ensure_fresh(con)
            finally:
                con.close()
            print("Migrations appliquées : " + (", ".join(applied) if applied else "aucune (base à jour)."))
            return 0
        if args.command == "import-finess":
            return _import_finess(path, args.fichier)
        if args.command == "export":
            return _export(path, args)
        if args.command == "backup":
            return _backup(path, args)
        if args.command == "publish-due":
            con = _open_up_to_date(path)
            try:
                published = dossiers.publish_due(con)
            finally:
                con.close()
            print("Dossiers publiés : " + (", ".join(map(str, published)) if published else "aucun."))
            return 0
    except db.DatabaseLocked as exc:
        print(f"{exc} {IN_THE_APP[args.command]}", file=sys.stderr)
        return 3
    except db.DatabaseUnreadable as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 2
