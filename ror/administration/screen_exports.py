"""Exports of what a screen shows, as a person downloads it: search results, anomalies, coverage and the SMR campaign
as Excel or CSV, the search as table / JSON / CSV for the CLI; and the safe writing of every CSV and workbook (no
formula, no link). The published offer for other systems is offer_export.py."""

from __future__ import annotations

import io
import json

import polars as pl
import xlsxwriter

from ror.anomalies import LEVELS, STATUS_LABELS
from ror.core import clock, formats
from ror.recherche.search import UO_COLUMNS, SearchResult
from ror.territoire import campagne_smr
from ror.territoire.campagne_smr import CAMPAIGN_STATUSES

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


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell that begins with one of these runs as a formula in a spreadsheet (OWASP « CSV injection »): in a CSV it
# gets a leading apostrophe; in Excel it is written as text with Excel's own « quote prefix » (shown as typed).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "remove_timezone": True,
    "strings_to_formulas": False,  # a text is a text, whatever it begins with
    "strings_to_urls": False,  # never a clickable link made from someone's text
}


def csv_safe(table: pl.DataFrame) -> pl.DataFrame:
    """Every text cell that a spreadsheet would read as a formula, with an apostrophe first (OWASP rule)."""
    texts = [name for name, kind in table.schema.items() if kind == pl.String]
    return table.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_PATTERN))
        .then("'" + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in texts
    )


def write_csv(table: pl.DataFrame) -> bytes:
    """CSV as French spreadsheets read it: « ; », UTF-8 with a BOM, formulas neutralised."""
    return "\ufeff".encode() + csv_safe(table).write_csv(separator=";").encode("utf-8")


HEADER_FORMAT = {"bold": True, "bg_color": "#DDE6F0", "border": 1}
NUMBER_FORMATS = {  # Excel writes them in the reader's language: « 1 370 », « 0,35 », « 03/12/2026 14:05 »
    pl.Date: "dd/mm/yyyy",
    pl.Datetime: "dd/mm/yyyy hh:mm",
    frozenset({pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64}): "#,##0",
    frozenset({pl.Float32, pl.Float64}): "#,##0.00",
}


def _write(sheet, row: int, col: int, value, fmt=None, *, quoted=None) -> None:
    """One cell; a text that begins like a formula is written as text with Excel's quote prefix."""
    if isinstance(value, str):
        sheet.write_string(row, col, value, quoted if value.startswith(FORMULA_START) else fmt)
    else:
        sheet.write(row, col, value, fmt)


def new_workbook(buffer: io.BytesIO) -> tuple[xlsxwriter.Workbook, dict]:
    """A workbook that never turns a text into a formula or a link, and its cell formats (header, quoted)."""
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    cell_formats = {
        "header": workbook.add_format(HEADER_FORMAT),
        "quoted": workbook.add_format({"quote_prefix": True}),
    }
    return workbook, cell_formats


def french(table: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """The listed columns, in that order, under their French headers."""
    return table.select([pl.col(column).alias(header) for column, header in columns.items()])


def french_frame(uo: pl.DataFrame) -> pl.DataFrame:
    """The result rows with the French headers of UO_COLUMNS, in their order."""
    return french(uo, UO_COLUMNS)


def search_text(result: SearchResult, uo: pl.DataFrame, fmt: str, *, limit: int = 50) -> str:
    """The result as the CLI prints it: 'table' (aligned, `limit` rows), 'json' (one object per UO), 'csv'.
    uo: its UO described (search.units)."""
    if fmt == "json":
        return json.dumps(uo.select(JSON_FIELDS).to_dicts(), ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "csv":
        return csv_safe(french_frame(uo)).write_csv(separator=";")
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
    for row in uo.head(limit).iter_rows(named=True):
        cells = [_cell(row[c]) for c in TABLE_COLUMNS]
        lines.append("  ".join(v[:w].ljust(w) for v, w in zip(cells, TABLE_COLUMNS.values(), strict=True)))
    if uo.height > limit:
        lines.append(f"… et {uo.height - limit} autre(s) (--limite, ou --format csv pour tout).")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    """A value of the command line's table as a French reader writes it (« 0,4 », « 1 370 »)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return formats.decimal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.integer(value)
    return str(value)


def _shown_of(shown: int, total: int) -> str:
    return str(total) if shown == total else f"{shown} affichés sur {total} (recherche à préciser)"


def _sheet(workbook: xlsxwriter.Workbook, name: str, table: pl.DataFrame, cell_formats: dict) -> None:
    """One sheet, written by polars (xlsxwriter underneath): a bold header row, numbers, dates and instants (Paris
    time) in Excel's own formats, identifiers as written, widths from the headers, frozen header and filters. A
    text that begins like a formula keeps Excel's quote prefix."""
    table = table.with_columns(pl.selectors.datetime(time_zone="*").dt.replace_time_zone(None))  # Paris wall time
    identifiers = [c for c in table.columns if c.startswith(("N°", "Identifiant")) and table[c].dtype.is_integer()]
    table.write_excel(
        workbook=workbook,
        worksheet=name,
        header_format=HEADER_FORMAT,
        dtype_formats=NUMBER_FORMATS,
        column_formats=dict.fromkeys(identifiers, "0"),
        column_widths={c: max(10, min(45, len(c) + 4)) for c in table.columns},
        table_style=None,
        autofilter=True,
        freeze_panes=(1, 0),
        include_header=True,
    )
    sheet = workbook.get_worksheet_by_name(name)
    for col, column in enumerate(table.columns):
        if table[column].dtype == pl.String:
            for row, value in enumerate(table[column]):
                if value is not None and value.startswith(FORMULA_START):
                    sheet.write_string(row + 1, col, value, cell_formats["quoted"])


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


def workbook_xlsx(sheets: dict[str, pl.DataFrame], about: list[tuple[str, str]] = ()) -> bytes:
    """An Excel workbook of one sheet per table (already with French headers), and a last sheet « À propos »
    of key / value lines when `about` is given."""
    buffer = io.BytesIO()
    workbook, cell_formats = new_workbook(buffer)
    for name, table in sheets.items():
        _sheet(workbook, name, table, cell_formats)
    if about:
        sheet = workbook.add_worksheet("À propos")
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 90)
        for index, (key, value) in enumerate([*about, ("Exporté le", f"{clock.now():%d/%m/%Y à %H:%M}")]):
            sheet.write(index, 0, key, cell_formats["header"])
            _write(sheet, index, 1, value, quoted=cell_formats["quoted"])
    workbook.close()
    return buffer.getvalue()


def anomalies_xlsx(found: pl.DataFrame, summary: dict) -> bytes:
    """The anomalies a user sees (sheet « Anomalies », French headers and labels) and their summary by status
    and département (sheet « Synthèse »)."""
    table = found.with_columns(
        pl.col("statut").replace_strict(STATUS_LABELS), pl.col("target_type").replace_strict(LEVELS)
    )
    return workbook_xlsx({"Anomalies": french(table, ANOMALY_COLUMNS), "Synthèse": summary["by_departement"]})


COVERAGE_COLUMNS = {
    "code_insee": "Code INSEE",
    "nom": "Commune",
    "departement": "Département",
    "population": "Population",
    "temps_min": "Temps estimé (min)",
    "distance_km": "Distance (km, vol d'oiseau)",
    "eg_nom": "Établissement le plus proche",
    "finess_eg": "FINESS géographique",
    "uo_nom": "Unité",
    "uo_site": "Unités de l'offre sur le site",
}
COVERAGE_DEPARTEMENT_COLUMNS = {
    "departement": "Département",
    "nom": "Nom",
    "population": "Population",
    "eg": "Établissements",
    "uo": "Unités",
    "lits": "Lits",
    "places": "Places",
    "lits_1000": "Lits pour 1 000 hab.",
    "places_1000": "Places pour 1 000 hab.",
}


def coverage_csv(far: pl.DataFrame) -> bytes:
    """The communes beyond the threshold, French headers, `;`-separated UTF-8 with BOM (opens in Excel)."""
    return write_csv(french(far, COVERAGE_COLUMNS))


def coverage_xlsx(far: pl.DataFrame, departements: pl.DataFrame, criteria: list[tuple[str, str]]) -> bytes:
    return workbook_xlsx(
        {
            "Communes au-delà du seuil": french(far, COVERAGE_COLUMNS),
            "Par département": french(departements, COVERAGE_DEPARTEMENT_COLUMNS),
        },
        [*criteria, ("Temps estimé", "modèle de la recherche : vol d'oiseau × 1,3 aux vitesses moyennes des zones")],
    )


def search_xlsx(result: SearchResult, uo: pl.DataFrame, criteria: dict[str, str]) -> bytes:
    """An Excel workbook of exactly the rows shown: sheet « Résultats » (one row per UO, with its EG: uo, from
    search.units) and sheet « Recherche » (the criteria and the instant of the statuses)."""
    buffer = io.BytesIO()
    workbook, cell_formats = new_workbook(buffer)
    _sheet(workbook, "Résultats", french_frame(uo), cell_formats)

    about = workbook.add_worksheet("Recherche")
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 80)
    rows = [
        ("Répertoire", "ROR Île-de-France"),
        ("Statuts calculés le", f"{result.instant:%d/%m/%Y à %H:%M}"),
        *criteria.items(),
        ("Établissements", _shown_of(result.eg.height, result.total_eg)),
        ("Unités", _shown_of(uo.height, result.total_uo)),
        ("Exporté le", f"{clock.now():%d/%m/%Y à %H:%M}"),
        ("Temps estimé", "distance à vol d'oiseau × 1,3, à la vitesse moyenne des zones traversées"),
    ]
    for index, (key, value) in enumerate(rows):
        about.write(index, 0, key, cell_formats["header"])
        _write(about, index, 1, value, quoted=cell_formats["quoted"])
    workbook.close()
    return buffer.getvalue()


SMR_TODO_COLUMNS = {
    "departement": "Département",
    "finess_eg": "FINESS géographique",
    "etablissement": "Établissement",
    "niveau": "Niveau",
    "uo_id": "N° UO",
    "unite": "Unité",
    "point": "À faire",
}
SMR_EG_COLUMNS = {
    "departement": "Département",
    "finess_eg": "FINESS géographique",
    "etablissement": "Établissement",
    "directeur_nom": "Directeur",
    "directeur_email": "E-mail du directeur",
    "uo_smr": "Unités SMR",
    "statut": "Statut",
    "a_faire": "Points restant à faire",
}


def smr_campaign_xlsx(eg: pl.DataFrame, todo: pl.DataFrame, territoire: str) -> bytes:
    """The SMR campaign to send to the directors: sheet « À faire » (one line per point left, by
    establishment) and sheet « Établissements » (status and director of each EG)."""
    return workbook_xlsx(
        {
            "À faire": french(todo, SMR_TODO_COLUMNS),
            "Établissements": french(
                eg.with_columns(pl.col("statut").replace_strict(CAMPAIGN_STATUSES)), SMR_EG_COLUMNS
            ),
        },
        [
            ("Campagne", "Campagne SMR (réforme des autorisations SSR → SMR, 2023)"),
            ("Territoire", territoire),
            ("EG", campagne_smr.SMR_EG_ITEMS),
            ("UO SMR", campagne_smr.SMR_UO_ITEMS),
            ("Conseillé", campagne_smr.SMR_ADVICE),
        ],
    )


def smr_todo_text(eg: dict, todo: pl.DataFrame) -> str:
    """One establishment's to-do list, as a text to send to its director."""
    lines = [
        f"Campagne SMR — {eg['etablissement']} (FINESS {eg['finess_eg']})",
        f"À l'attention de {eg['directeur_nom'] or 'la direction'}",
        "",
        "Merci de mettre à jour dans le ROR, par un dossier collaboratif :",
    ]
    for row in todo.iter_rows(named=True):
        where = "Établissement" if row["niveau"] == "EG" else f"Unité « {row['unite']} » (n° {row['uo_id']})"
        lines.append(f"- {where} : {row['point']}")
    if todo.is_empty():
        lines.append("- rien : la campagne est finalisée pour cet établissement.")
    return "\n".join(lines) + "\n"
