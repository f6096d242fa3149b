"""The command line: `python -m ror COMMANDE` (build-demo, init, check, search, bench, migrate, import-finess,
export, publish-due, backup, restore). The arguments are declared in parser.py, each command's work in commands.py."""

from __future__ import annotations

import sys
import time

from ror import dossiers
from ror.cli import commands
from ror.cli.parser import parser
from ror.core import config, db, formats
from ror.demo.builder import build_demo
from ror.recherche import search_index
from ror.territoire import checks


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    path = args.db or config.db_path()
    try:
        if args.command == "build-demo":
            if args.if_missing and path.exists():
                print(f"Base existante conservée : {path}")
                return 0
            if path.exists() and not commands.is_demo_file(path):
                print(
                    f"{path} n'est pas une base de démonstration : « build-demo » ne la remplace pas. Choisissez un "
                    "autre fichier avec --db.",
                    file=sys.stderr,
                )
                return 1
            started = time.perf_counter()
            counts = build_demo(path, scale=args.scale, seed=args.seed, progress=commands.print_progress)
            elapsed = time.perf_counter() - started
            print(
                f"Base {path} construite en {formats.decimal(elapsed, 1)} s : {formats.integer(counts['ej'])} EJ, "
                f"{formats.integer(counts['eg'])} EG, {formats.integer(counts['uo'])} UO, "
                f"{formats.integer(counts['commune'])} communes, {counts['app_user']} comptes."
            )
            return 0
        if args.command == "init":
            return commands.init(path, args)
        if args.command == "restore":
            return commands.restore(path, args)
        if not path.exists():
            print(
                f"Base introuvable : {path}. Créez-la avec « python -m ror init » (production) ou "
                "« python -m ror build-demo » (démonstration).",
                file=sys.stderr,
            )
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
            con = commands.open_up_to_date(path)
            try:
                return commands.run_search(con, args)
            finally:
                con.close()
        if args.command == "bench":
            return commands.bench(path, args)
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
            return commands.import_finess(path, args.fichier)
        if args.command == "export":
            return commands.export(path, args)
        if args.command == "backup":
            return commands.backup(path, args)
        if args.command == "publish-due":
            con = commands.open_up_to_date(path)
            try:
                published = dossiers.publish_due(con)
            finally:
                con.close()
            print("Dossiers publiés : " + (", ".join(map(str, published)) if published else "aucun."))
            return 0
    except db.DatabaseLocked as exc:
        print(f"{exc} {commands.IN_THE_APP[args.command]}", file=sys.stderr)
        return 3
    except db.DatabaseUnreadable as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 2
