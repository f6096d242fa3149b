"""Exports of the published offer read back: Excel by openpyxl, CSV, FHIR R4 by a maintained FHIR model library
(fhirclient, whose models are R4 4.0.1 and refuse unknown or mistyped elements), the feed's --since boundary,
scopes, and the export command."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import polars as pl
import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirabstractbase import FHIRValidationError

from ror import cli
from ror.administration import offer_export, offer_feed, offer_fhir, offer_tables
from ror.administration.offer_export import ExportError, ExportScope, parse_instant, parse_scope
from ror.administration.offer_fhir import available_times
from ror.core.permissions import PermissionDenied

from .helpers import user

DEP_93 = ExportScope(departements=("93",))


@pytest.fixture(scope="module")
def offer_93(demo_db):
    import duckdb

    con = duckdb.connect(str(demo_db), read_only=True)
    yield offer_export.load(con, None, DEP_93)
    con.close()


def test_scopes_are_parsed_with_french_errors():
    assert parse_scope(None) == ExportScope() and parse_scope("région") == ExportScope()
    assert parse_scope("92") == parse_scope("dep:92") == ExportScope(departements=("92",))
    assert parse_scope("ej:750712184") == ExportScope(finess_ej="750712184")
    with pytest.raises(ExportError, match="clé de contrôle"):
        parse_scope("ej:750712185")
    with pytest.raises(ExportError, match="inconnu"):
        parse_scope("Paris")


def test_instants_are_read_as_paris_time():
    assert parse_instant("2026-11-22T17:00:00+00:00") == dt.datetime(2026, 11, 22, 18, 0)
    assert parse_instant("2026-07-01T16:00:00Z") == dt.datetime(2026, 7, 1, 18, 0)  # summer time
    assert parse_instant("2026-11-22T18:00") == dt.datetime(2026, 11, 22, 18, 0)
    with pytest.raises(ExportError, match="ISO 8601"):
        parse_instant("hier soir")


def test_excel_has_one_sheet_per_level_with_labels(offer_93):
    book = openpyxl.load_workbook(io.BytesIO(offer_tables.to_xlsx(offer_93)))
    assert book.sheetnames == ["EJ", "EG", "UO", "À propos"]
    uo = list(book["UO"].values)
    assert uo[0][:5] == ("Identifiant UO", "FINESS géographique", "Unité", "Organisation interne", "Type d'UO")
    assert len(uo) - 1 == offer_93.uo.height > 100
    assert all(row[0].startswith("93") for row in list(book["EG"].values)[1:])
    types = {row[3] for row in uo[1:]}
    assert "Hôpital De Jour (HDJ)" in types or len(types) > 5  # labels, not codes
    assert not any(str(t).isdigit() for t in types)


def test_csv_has_one_line_per_uo_with_its_eg_and_ej(offer_93):
    content = offer_tables.to_csv(offer_93)
    assert content.startswith("\ufeff".encode())
    table = pl.read_csv(io.BytesIO(content[3:]), separator=";", infer_schema=False)
    assert table.height == offer_93.uo.height
    assert {"Unité", "Raison sociale", "Raison sociale EJ", "Commune", "Activités opérationnelles"} <= set(
        table.columns
    )
    assert table["Raison sociale EJ"].null_count() == 0


def test_every_fhir_resource_loads_in_the_r4_models(offer_93):
    document = json.loads(offer_export.render(offer_93, "fhir"))
    bundle = Bundle(document)  # strict: an unknown or mistyped element raises
    kinds = [type(entry.resource).__name__ for entry in bundle.entry]
    assert kinds.count("HealthcareService") == offer_93.uo.height
    assert kinds.count("Location") == kinds.count("Organization") - offer_93.ej.height == offer_93.eg.height
    service = next(e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "HealthcareService")
    assert service["providedBy"]["reference"].startswith("Organization/eg-93")
    assert service["specialty"][0]["coding"][0]["system"].endswith("TRE-R211-ActiviteOperationnelle")
    patient = next(x for x in service["extension"] if x["url"].endswith("ror-healthcareservice-patient-type"))
    assert patient["extension"][-1]["url"] == "ageRange"
    location = next(e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "Location")
    assert 48.7 < location["position"]["latitude"] < 49.1
    broken = json.loads(json.dumps(document))
    broken["entry"][-1]["resource"]["availableTime"] = [{"availableStartTime": "25:00"}]
    with pytest.raises(FHIRValidationError):
        Bundle(broken)  # the check can fail


def test_available_time_of_a_night_slot_and_a_whole_day():
    slots = [
        {"jour": 1, "debut_min": 480, "fin_min": 1080},
        {"jour": 2, "debut_min": 480, "fin_min": 1080},
        {"jour": 7, "debut_min": 1320, "fin_min": 1860},
        {"jour": 6, "debut_min": 0, "fin_min": 1440},
    ]
    assert available_times(slots) == [
        {"daysOfWeek": ["mon"], "availableStartTime": "00:00:00", "availableEndTime": "07:00:00"},
        {"daysOfWeek": ["sat"], "allDay": True},
        {"daysOfWeek": ["mon", "tue"], "availableStartTime": "08:00:00", "availableEndTime": "18:00:00"},
        {"daysOfWeek": ["sun"], "availableStartTime": "22:00:00", "availableEndTime": "23:59:59"},
    ]


def test_the_feed_holds_what_was_published_in_since_until(rw_con):
    since = dt.datetime(2030, 1, 1, 18, 0)
    rw_con.execute("UPDATE uo SET updated_at = $t WHERE uo_id = 1", {"t": since})  # exactly at since: last run's
    rw_con.execute("UPDATE uo SET updated_at = $t WHERE uo_id = 2", {"t": since + dt.timedelta(microseconds=1)})
    rw_con.execute(
        "UPDATE uo SET updated_at = $t, statut = 'fermee' WHERE uo_id = 3", {"t": since + dt.timedelta(hours=2)}
    )
    rw_con.execute("UPDATE uo SET updated_at = $t WHERE uo_id = 4", {"t": since + dt.timedelta(days=1)})  # after until
    until = since + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    feed = offer_export.load(rw_con, None, ExportScope(), since=since, until=until)
    assert feed.uo["uo_id"].to_list() == [2, 3]
    bundle = offer_fhir.to_fhir(feed)
    closed = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == "uo-3")
    assert closed["active"] is False
    assert bundle["timestamp"] == "2030-01-02T17:59:59+01:00"
    following = offer_export.load(rw_con, None, ExportScope(), since=until, until=since + dt.timedelta(days=2))
    assert following.uo["uo_id"].to_list() == [4]
    with pytest.raises(ExportError, match="pas dans le passé"):
        offer_export.load(rw_con, None, ExportScope(), since=until, until=until)


def test_export_needs_the_right_role_and_a_known_ej(rw_con):
    with pytest.raises(PermissionDenied):
        offer_export.load(rw_con, user(rw_con, "tutelle93"), ExportScope())
    with pytest.raises(ExportError, match="n'existe pas"):
        offer_export.load(rw_con, user(rw_con, "support"), ExportScope(finess_ej="750000499"))
    ej = offer_export.load(rw_con, user(rw_con, "admin"), ExportScope(finess_ej="750712184"))
    assert ej.ej.height == 1 and ej.eg["finess_ej"].unique().to_list() == ["750712184"] and ej.uo.height > 10


def test_export_command(demo_db, tmp_path, capsys):
    out = tmp_path / "offre.json"
    assert cli.main(["export", "--format", "fhir", "--out", str(out), "--scope", "93", "--db", str(demo_db)]) == 0
    printed = capsys.readouterr().out
    assert "Département 93" in printed and "Prochain --since : " in printed
    since = printed.rsplit("Prochain --since : ", 1)[1].strip()
    Bundle(json.loads(out.read_text(encoding="utf-8")))
    # the instant it printed reads back, and nothing was published since
    feed = tmp_path / "flux.json"
    assert cli.main(["export", "--format", "fhir", "--out", str(feed), "--since", since, "--db", str(demo_db)]) == 0
    assert json.loads(feed.read_text(encoding="utf-8")).get("entry") == []
    xlsx = tmp_path / "offre.xlsx"
    assert (
        cli.main(["export", "--format", "xlsx", "--out", str(xlsx), "--scope", "ej:750712184", "--db", str(demo_db)])
        == 0
    )
    assert openpyxl.load_workbook(xlsx).sheetnames[:3] == ["EJ", "EG", "UO"]
    assert cli.main(["export", "--format", "csv", "--out", str(xlsx), "--scope", "Paris", "--db", str(demo_db)]) == 1
    assert "Périmètre « Paris » inconnu" in capsys.readouterr().err


def test_the_daily_feed_chains_from_one_18h_to_the_next(rw_con, tmp_path):
    morning = dt.datetime(2030, 3, 4, 9, 0)
    assert not offer_feed.feed_due(rw_con, morning)  # the first call starts the chain
    assert not offer_feed.feed_due(rw_con, morning.replace(hour=17, minute=59))
    rw_con.execute("UPDATE uo SET updated_at = $t WHERE uo_id = 7", {"t": morning.replace(hour=11)})
    evening = morning.replace(hour=18, minute=0, second=5)
    assert offer_feed.feed_due(rw_con, evening)
    path = offer_feed.write_feed(rw_con, tmp_path, evening)
    bundle = Bundle(json.loads(path.read_text(encoding="utf-8")))
    assert [e.resource.id for e in bundle.entry] == ["uo-7"] and path.name.startswith("ror-idf-flux-region-")
    assert not offer_feed.feed_due(rw_con, evening.replace(hour=23))
    assert offer_feed.feed_due(rw_con, evening + dt.timedelta(days=1))
    last, files = offer_feed.feed_status(rw_con, tmp_path)
    assert last == evening and files == [path]
