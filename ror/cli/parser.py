"""The command line's arguments and their French help (`python -m ror --help`)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ror.administration import offer_export
from ror.demo.builder import SCALES
from ror.recherche import search


def parser() -> argparse.ArgumentParser:
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
    bench.add_argument(
        "--repetitions",
        type=int,
        help="passages sur le jeu (défaut : 3) ; avec --load, passages du scénario (défaut : 1) : chaque chiffre est "
        "la médiane des passages, load_passes les donne un par un",
    )
    bench.add_argument(
        "--format", choices=("texte", "json"), default="texte", help="texte (défaut) ou json (clés stables)"
    )
    bench.add_argument("--sans-pages", action="store_true", help="sans les pages (plus rapide)")
    bench.add_argument(
        "--load",
        type=int,
        metavar="N",
        help="à la place : N sessions à la fois sur le vrai serveur (recherche, affinage, fiche) pendant qu'une "
        "tutelle valide un dossier ; temps du serveur par exécution, à N et pour les mêmes jouées l'une après "
        "l'autre (code 1 si erreur)",
    )
    bench.add_argument(
        "--navigateurs",
        type=int,
        metavar="K",
        help="avec --load : combien des N sessions sont de vrais navigateurs (Chromium, défaut : 2) ; les autres "
        "parlent au serveur le protocole de Streamlit sans rien dessiner (bench/protocol.py)",
    )
    bench.add_argument(
        "--lecture",
        type=float,
        metavar="S",
        help="avec --load : secondes de lecture d'une personne entre deux actions, en moyenne (tirées entre la moitié "
        "et une fois et demie, arrivées étalées sur 10 s ; défaut : 3) ; 0 : toutes les actions d'affilée, les N "
        "sessions au même instant (une rafale)",
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
