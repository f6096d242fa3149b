"""Import of the FINESS open-data extract of establishments (data.gouv.fr « etalab-cs1100507 »).

The file is read by ror/administration/finess_file.py (both layouts, coordinates, the reasons a line is rejected).
The import creates or updates EJ and EG, never deletes, and is idempotent: a second run of the same file finds
everything unchanged and writes nothing. It owns the FINESS facts of an EG (name, address, commune, catégorie,
SIRET, dates, coordinates); the contacts the establishment keeps up to date in the répertoire are never
overwritten (a telephone is taken from FINESS only when the EG has none). The whole import is one transaction:
a malformed file raises FinessFileError and changes nothing. Lines of départements outside the répertoire's
territory are counted, not imported.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import duckdb
import polars as pl

from ror.administration.finess_file import (  # noqa: F401 (FinessFileError: the error callers catch)
    STRUCTURE_FIELDS,
    FinessFileError,
    establishment,
    parse,
    position,
    statut_juridique,
)
from ror.core import arrondissements as paris
from ror.core import audit, clock, db, reference
from ror.core.auth import User
from ror.core.finess import departement_of_prefix
from ror.core.permissions import require
from ror.core.progress import Progress, no_progress
from ror.recherche import search_index
from ror.recherche.geo import MAX_KM_FROM_COMMUNE, haversine_km
from ror.repertoire import records
from ror.territoire import peuplement

# The EG columns an import owns (compared, then written); the telephone only fills an empty one.
OWNED = (
    "finess_ej nom categorie_code numero_voie type_voie voie complement code_postal commune_insee departement "
    "siret date_ouverture date_autorisation finess_maj"
).split()
POSITION = ("lat", "lon", "coord_source")


# The projection named at the end of sourcecoordet -> EPSG code (Lambert 93 in metropolitan France, UTM overseas).
@dataclass
class Report:
    """What an import did: created, updated (with the fields changed), unchanged, rejected lines and why."""

    fichier: str
    format: str = ""
    encodage: str = ""
    lignes: int = 0  # establishment lines read
    crees: list[str] = field(default_factory=list)  # FINESS géographiques created
    ej_crees: list[str] = field(default_factory=list)
    modifies: dict[str, dict[str, list]] = field(default_factory=dict)  # finess -> field -> [before, after]
    inchanges: int = 0
    rejetes: list[tuple[int, str, str]] = field(default_factory=list)  # line number, FINESS as read, reason
    avertissements: list[tuple[int, str, str]] = field(default_factory=list)  # imported, with this reserve
    hors_territoire: int = 0
    dossiers_peuplement: list[int] = field(default_factory=list)  # « Peuplement de … » opened for the EG created

    def summary(self) -> str:
        return (
            f"{self.lignes} établissement(s) lu(s) : {len(self.crees)} créé(s), {len(self.modifies)} modifié(s), "
            f"{self.inchanges} inchangé(s), {len(self.rejetes)} rejeté(s)"
            + (f", {self.hors_territoire} hors du territoire du répertoire" if self.hors_territoire else "")
            + "."
            + (
                f" {len(self.dossiers_peuplement)} dossier(s) de peuplement ouvert(s)."
                if self.dossiers_peuplement
                else ""
            )
        )

    def text(self) -> str:
        """The report as the command line prints it."""
        lines = [f"Import FINESS de {self.fichier} ({self.format}, {self.encodage})", self.summary()]
        if self.ej_crees:
            lines.append(
                f"EJ créées : {len(self.ej_crees)} ({', '.join(self.ej_crees[:10])}{' …' * (len(self.ej_crees) > 10)})"
            )
        if self.crees:
            lines.append("Créés : " + ", ".join(self.crees[:50]) + (" …" if len(self.crees) > 50 else ""))
        for finess, changes in list(self.modifies.items())[:200]:
            described = "; ".join(
                f"{records.FIELD_LABELS.get(name, name)} : {before if before is not None else '(vide)'} → {after}"
                for name, (before, after) in changes.items()
            )
            lines.append(f"Modifié {finess} — {described}")
        for number, finess, reason in self.rejetes:
            lines.append(f"Rejeté ligne {number} ({finess or 'sans FINESS'}) : {reason}")
        for number, finess, reason in self.avertissements:
            lines.append(f"Avertissement ligne {number} ({finess}) : {reason}")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict:
        return {
            "crees": self.crees,
            "ej_crees": self.ej_crees,
            "modifies": self.modifies,
            "rejetes": [{"ligne": n, "finess": f, "motif": r} for n, f, r in self.rejetes],
            "avertissements": [{"ligne": n, "finess": f, "motif": r} for n, f, r in self.avertissements],
            "hors_territoire": self.hors_territoire,
        }


def _read_current(con, finess: list[str]) -> dict[str, dict]:
    columns = ("finess_eg", *OWNED, "telephone", *POSITION)
    frame = con.sql(
        f"SELECT {', '.join(columns)} FROM eg WHERE list_contains($f, finess_eg)", params={"f": finess}
    ).pl()
    return {row["finess_eg"]: row for row in frame.iter_rows(named=True)}


def _changes(current: dict, new: dict) -> dict[str, list]:
    changed = {name: [current[name], new[name]] for name in OWNED if current[name] != new[name]}
    if not current["telephone"] and new["telephone"]:
        changed["telephone"] = [None, new["telephone"]]
    if new["coord_source"] == "finess" and (
        current["coord_source"] != "finess"
        or abs((current["lat"] or 0) - new["lat"]) > 1e-5
        or abs((current["lon"] or 0) - new["lon"]) > 1e-5
    ):
        changed |= {name: [current[name], new[name]] for name in POSITION if current[name] != new[name]}
    return changed


def import_finess(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    fichier: str,
    *,
    user: User | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Import a FINESS extract (the bytes of the file). `user` is the administrator of the admin page; None is
    the command line (whoever may open the database file). Raises FinessFileError on a malformed file."""
    if user is not None:
        require(con, user, "import")
    login = user.login if user else "import-finess (ligne de commande)"
    now = clock.in_paris(now) if now else clock.now()
    step = progress or no_progress
    step(0.0, "Lecture du fichier")
    parsed = parse(data)
    report = Report(fichier=fichier, format=parsed.format, encodage=parsed.encodage, lignes=len(parsed.structures))

    communes = {
        code: (dep, lat, lon)
        for code, dep, lat, lon in con.sql("SELECT code_insee, departement, lat, lon FROM commune").fetchall()
    }
    territory = {dep for dep, _, _ in communes.values()}
    in_paris = paris.by_postal_code(paris.read(con))
    categories = {code for (code,) in con.sql("SELECT code FROM nomenclature WHERE system = 'TRE_R66'").fetchall()}
    candidates: dict[str, tuple[int, dict]] = {}
    statuts: dict[str, str | None] = {}  # FINESS EJ -> statut juridique, from its first EG line
    total = len(parsed.structures)
    for index, (number, fields) in enumerate(parsed.structures):
        if index % 2000 == 0:
            step(0.05 + 0.45 * index / total, f"Contrôle des lignes : {index} / {total}")
        if len(fields) < len(STRUCTURE_FIELDS) and parsed.format.startswith("extrait"):
            report.rejetes.append((number, fields.get("nofinesset", ""), f"ligne incomplète ({len(fields)} champs)"))
            continue
        departement = departement_of_prefix(fields.get("departement", ""))
        if departement not in territory:
            report.hors_territoire += 1
            continue
        row = establishment(fields, communes, categories)
        if isinstance(row, str):
            report.rejetes.append((number, fields.get("nofinesset", ""), row))
            continue
        if arrondissement := paris.of_address(in_paris, row["commune_insee"], row["code_postal"]):
            row |= {"lat": arrondissement["lat"], "lon": arrondissement["lon"], "coord_source": "arrondissement"}
        if row["finess_eg"] in candidates:
            first = candidates[row["finess_eg"]][0]
            report.rejetes.append((number, row["finess_eg"], f"FINESS en double dans le fichier (déjà ligne {first})"))
            continue
        if row["finess_eg"] in parsed.positions:
            found = position(parsed.positions[row["finess_eg"]][1])
            if isinstance(found, str):
                report.rejetes.append((number, row["finess_eg"], found))
                continue
            distance = haversine_km(*found, row["lat"], row["lon"])
            if distance > MAX_KM_FROM_COMMUNE:
                warning = f"coordonnées à {distance:.0f} km de la commune {row['commune_insee']} : non reprises"
                report.avertissements.append((parsed.positions[row["finess_eg"]][0], row["finess_eg"], warning))
            else:
                row["lat"], row["lon"] = found
                row["coord_source"] = "finess"
        candidates[row["finess_eg"]] = (number, row)
        statuts.setdefault(row["finess_ej"], statut_juridique(row["siret"], fields.get("libsph")))

    step(0.5, "Comparaison avec le répertoire")
    current = _read_current(con, list(candidates))
    known_ej = {e for (e,) in con.sql("SELECT finess_ej FROM ej").fetchall()}
    created, updated, journal = [], [], []
    new_ej: dict[str, dict] = {}
    for finess, (_, row) in candidates.items():
        if row["finess_ej"] not in known_ej and row["finess_ej"] not in new_ej:
            # FINESS's establishment lines do not give the EJ's raison sociale: its first EG's name stands in.
            new_ej[row["finess_ej"]] = {
                "finess_ej": row["finess_ej"],
                "raison_sociale": row["nom"],
                "departement": row["departement"],
                "statut_juridique": statuts[row["finess_ej"]],
            }
        if finess not in current:
            created.append(row)
            journal.append(("eg.creer", "EG", finess, None, row))
            continue
        changes = _changes(current[finess], row)
        if not changes:
            report.inchanges += 1
            continue
        merged = current[finess] | {name: after for name, (_, after) in changes.items()}
        updated.append(merged)
        report.modifies[finess] = changes
        journal.append(
            (
                "eg.import_finess",
                "EG",
                finess,
                {k: v[0] for k, v in changes.items()},
                {k: v[1] for k, v in changes.items()},
            )
        )
    report.crees = [row["finess_eg"] for row in created]
    report.ej_crees = list(new_ej)
    journal += [("ej.creer", "EJ", finess, None, row) for finess, row in new_ej.items()]

    step(0.7, "Écriture dans le répertoire")
    with db.transaction(con):
        if created or updated or new_ej:
            _write(con, created, updated, list(new_ej.values()), login, now)
            departements = sorted({row["departement"] for row in created})
            report.dossiers_peuplement = peuplement.open_dossiers(con, _creator(con, user), login, departements)
            audit.record_many(con, login, journal)
            touched = [row["finess_eg"] for row in created + updated]
            if len(touched) <= 500:
                search_index.record_write(con, touched)
            else:  # the next search rebuilds the whole index
                db.bump_data_version(con)
        _journal_run(con, report, login, now)
    step(1.0, report.summary())
    return report


def _creator(con: duckdb.DuckDBPyConnection, user: User | None) -> int:
    """Who opens the peuplement dossiers of an import: the administrator of the page, or from the command line the
    first active administrator."""
    if user is not None:
        return user.user_id
    found = con.sql("SELECT min(user_id) FROM app_user WHERE role = 'admin' AND actif").fetchall()[0][0]
    return found if found is not None else 0


def _write(con, created: list[dict], updated: list[dict], new_ej: list[dict], login: str, now: dt.datetime) -> None:
    stamp = {"updated_at": now, "updated_by": login}
    if new_ej:
        reference.insert_frame(con, "ej", pl.DataFrame([row | {"source": "import FINESS"} | stamp for row in new_ej]))
    if created:
        frame = pl.DataFrame([row | {"source": "import FINESS"} | stamp for row in created], infer_schema_length=None)
        reference.insert_frame(con, "eg", frame)
    if updated:
        columns = ("finess_eg", *OWNED, "telephone", *POSITION)
        frame = pl.DataFrame([{c: row[c] for c in columns} | stamp for row in updated], infer_schema_length=None)
        records.write_many(con, "eg", frame)


def _journal_run(con, report: Report, login: str, now: dt.datetime) -> None:
    con.execute(
        "INSERT INTO import_finess (import_id, created_at, user_login, fichier, format, lignes, crees, modifies, "
        "inchanges, rejetes, rapport) VALUES ((SELECT coalesce(max(import_id), 0) + 1 FROM import_finess), $at, "
        "$login, $fichier, $format, $lignes, $crees, $modifies, $inchanges, $rejetes, $rapport)",
        {
            "at": now,
            "login": login,
            "fichier": report.fichier,
            "format": report.format,
            "lignes": report.lignes,
            "crees": len(report.crees),
            "modifies": len(report.modifies),
            "inchanges": report.inchanges,
            "rejetes": len(report.rejetes),
            "rapport": json.dumps(report.as_json(), default=str, ensure_ascii=False),
        },
    )
    audit.record(con, login, "import.finess", "IMPORT", report.fichier, None, {"resume": report.summary()})
