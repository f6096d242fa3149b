"""Exports of what a user sees: search results as Excel, and as table / JSON / CSV for the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import polars as pl
import xlsxwriter

from ror.anomalies import LEVELS, STATUS_LABELS
from ror.search import UO_COLUMNS, SearchResult

JSON_FIELDS = (
    "finess_eg",
    "eg_nom",
    "commune",
    "uo_id",
    "nom",
    "distance_km",
    "temps_min",
    "statut",
    "statut_detail",
    "public",
    "telephone",
)
TABLE_COLUMNS = {
    "eg_nom": 34,
    "commune": 20,
    "nom": 40,
    "distance_km": 8,
    "temps_min": 6,
    "public": 12,
    "statut_detail": 30,
    "telephone": 15,
}


def french_frame(uo: pl.DataFrame) -> pl.DataFrame:
    """The result rows with the French headers of UO_COLUMNS, in their order."""
    return uo.select([pl.col(column).alias(header) for column, header in UO_COLUMNS.items()])


def search_text(result: SearchResult, fmt: str, *, limit: int = 50) -> str:
    """The result as the CLI prints it: 'table' (aligned, `limit` rows), 'json' (one object per UO), 'csv'."""
    if fmt == "json":
        return json.dumps(result.uo.select(JSON_FIELDS).to_dicts(), ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "csv":
        return french_frame(result.uo).write_csv(separator=";")
    if result.empty:
        return "Aucune unité ne correspond à cette recherche.\n"
    lines = [
        f"{result.total_uo} unité(s) dans {result.total_eg} établissement(s) — statut au "
        f"{result.instant:%d/%m/%Y %H:%M}"
    ]
    if result.truncated:
        lines.append(f"Seuls les {result.eg.height} premiers établissements sont retenus : précisez la recherche.")
    header = "  ".join(UO_COLUMNS[c][:w].ljust(w) for c, w in TABLE_COLUMNS.items())
    lines += [header, "-" * len(header)]
    for row in result.uo.head(limit).iter_rows(named=True):
        cells = ["" if row[c] is None else str(row[c]) for c in TABLE_COLUMNS]
        lines.append("  ".join(v[:w].ljust(w) for v, w in zip(cells, TABLE_COLUMNS.values(), strict=True)))
    if result.uo.height > limit:
        lines.append(f"… et {result.uo.height - limit} autre(s) (--limite, ou --format csv pour tout).")
    return "\n".join(lines) + "\n"


def _shown_of(shown: int, total: int) -> str:
    return str(total) if shown == total else f"{shown} affichés sur {total} (recherche à préciser)"


def _sheet(workbook: xlsxwriter.Workbook, name: str, table: pl.DataFrame, header) -> None:
    """One sheet: a bold header row, the rows (dates as Excel dates), frozen header and filters."""
    sheet = workbook.add_worksheet(name)
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for col, column in enumerate(table.columns):
        sheet.write(0, col, column, header)
        sheet.set_column(col, col, max(10, min(45, len(column) + 4)))
    for row_index, row in enumerate(table.iter_rows(), start=1):
        for col, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(row_index, col, value, day)
            elif value is not None:
                sheet.write(row_index, col, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(table.height, 1), len(table.columns) - 1)


ANOMALY_COLUMNS = {
    "anomalie_id": "N°",
    "statut": "Statut",
    "age_jours": "Âge (jours)",
    "target_type": "Niveau",
    "cible": "Sur",
    "target_id": "Identifiant",
    "etablissement": "Établissement",
    "finess_eg": "FINESS géographique",
    "departement": "Département",
    "champ": "Champ",
    "description": "Description",
    "signale_par": "Signalée par",
    "created_at": "Signalée le",
    "assigne_a": "Assignée à",
    "relances": "Relances",
    "motif_rejet": "Motif du rejet",
    "doublon_de": "Doublon de",
    "dossier_id": "Dossier collaboratif",
    "closed_at": "Close le",
}


def anomalies_xlsx(found: pl.DataFrame, summary: dict) -> bytes:
    """The anomalies a user sees (sheet « Anomalies », French headers and labels) and their summary by status
    and département (sheet « Synthèse »)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    table = found.with_columns(
        pl.col("statut").replace_strict(STATUS_LABELS), pl.col("target_type").replace_strict(LEVELS)
    ).select([pl.col(column).alias(header) for column, header in ANOMALY_COLUMNS.items()])
    _sheet(workbook, "Anomalies", table, bold)
    _sheet(workbook, "Synthèse", summary["by_departement"], bold)
    workbook.close()
    return buffer.getvalue()


def search_xlsx(result: SearchResult, criteria: dict[str, str]) -> bytes:
    """An Excel workbook of exactly the rows shown: sheet « Résultats » (one row per UO, with its EG) and
    sheet « Recherche » (the criteria and the instant of the statuses)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    _sheet(workbook, "Résultats", french_frame(result.uo), bold)

    about = workbook.add_worksheet("Recherche")
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 80)
    rows = [
        ("Répertoire", "ROR Île-de-France"),
        ("Statuts calculés le", f"{result.instant:%d/%m/%Y à %H:%M}"),
        *criteria.items(),
        ("Établissements", _shown_of(result.eg.height, result.total_eg)),
        ("Unités", _shown_of(result.uo.height, result.total_uo)),
        ("Exporté le", f"{dt.datetime.now():%d/%m/%Y à %H:%M}"),
        ("Temps estimé", "distance à vol d'oiseau × 1,3, à la vitesse moyenne des zones traversées"),
    ]
    for index, (key, value) in enumerate(rows):
        about.write(index, 0, key, bold)
        about.write(index, 1, value)
    workbook.close()
    return buffer.getvalue()
