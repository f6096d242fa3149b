"""Instants: stored with their zone (TIMESTAMPTZ, migration 017), read and shown in Europe/Paris, on both sides of a
change of hour (ror/core/clock.py, ror/core/db.py)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import polars as pl

from ror import dossiers
from ror.core import clock, db, web_sessions
from ror.demo import quality

from .helpers import open_page, user

UTC = dt.UTC


def test_no_instant_is_stored_without_its_zone(con):
    naive = con.sql(
        "SELECT table_name || '.' || column_name FROM duckdb_columns() WHERE data_type = 'TIMESTAMP' AND NOT internal"
    ).fetchall()
    assert naive == []
    assert con.sql("SELECT current_setting('TimeZone')").fetchall() == [("Europe/Paris",)]
    assert con.cursor().sql("SELECT current_setting('TimeZone')").fetchall() == [("Europe/Paris",)]  # every cursor


def test_a_naive_instant_is_a_paris_time_and_an_aware_one_is_converted():
    assert clock.now().tzinfo is clock.PARIS
    assert clock.in_paris(dt.datetime(2026, 12, 3, 9, 0)) == dt.datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert clock.in_paris(dt.datetime(2026, 7, 3, 9, 0)) == dt.datetime(2026, 7, 3, 7, 0, tzinfo=UTC)  # summer: +2
    assert clock.in_paris(dt.datetime(2026, 12, 3, 8, 0, tzinfo=UTC)).hour == 9


def opened_at(con, now: dt.datetime) -> dt.datetime:
    token = web_sessions.open_session(con, user(con, "referent"), now)
    return con.sql(
        "SELECT ouverte_le FROM session_navigateur WHERE jeton_sha256 = $h", params={"h": web_sessions._hash(token)}
    ).fetchall()[0][0]


def test_the_october_hour_that_comes_twice_keeps_both_of_its_instants(rw_con):
    first = opened_at(rw_con, dt.datetime(2026, 10, 25, 2, 30))  # fold 0: still summer time, +02:00
    second = opened_at(rw_con, dt.datetime(2026, 10, 25, 2, 30, fold=1))  # the same wall time an hour later, +01:00
    assert (first.hour, first.minute, second.hour, second.minute) == (2, 30, 2, 30)
    assert first.utcoffset() == dt.timedelta(hours=2) and second.utcoffset() == dt.timedelta(hours=1)
    assert second - first == dt.timedelta(hours=1)


def test_the_march_change_of_hour_is_read_in_paris(rw_con):
    before = opened_at(rw_con, dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    after = opened_at(rw_con, dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    assert (before.hour, before.utcoffset()) == (1, dt.timedelta(hours=1))  # 01:30 winter time
    assert (after.hour, after.utcoffset()) == (3, dt.timedelta(hours=2))  # 02:xx does not exist: 03:30 summer time


def test_a_base_of_naive_instants_is_converted_from_the_servers_zone(tmp_path):
    path = tmp_path / "ancienne.duckdb"
    con = db.connect(path)
    con.execute("SET TimeZone = 'Etc/UTC'")  # a base of before migration 017
    files = [f for f in db.migration_files() if f[0] < 17]
    db.applied_versions(con)
    for version, name, file in files:
        con.execute(f"SET file_search_path = '{file.parent.parent}'")
        con.execute(file.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migration (version, name) VALUES ($v, $n)", {"v": version, "n": name})
    con.execute("INSERT INTO departement (code, nom) VALUES ('75', 'Paris')")
    con.execute("UPDATE departement SET phase_depuis = TIMESTAMP '2026-12-03 08:00:00'")  # the server's local time
    con.close()
    con = db.connect(path)
    assert "017_instants_avec_fuseau" in db.migrate(con)  # and those after it
    since = con.sql("SELECT phase_depuis FROM departement").fetchall()[0][0]
    server = ZoneInfo(db._server_zone())  # « Etc/UTC » here: then 09:00 in Paris
    assert since == dt.datetime(2026, 12, 3, 8, 0, tzinfo=server) and since.tzinfo is not None
    con.close()


def test_the_history_of_a_fiche_is_in_paris_hours(fresh_app, db_copy, demo_db):
    con = db.connect(db_copy)
    finess = con.sql("SELECT min(finess_eg) FROM eg").fetchall()[0][0]
    con.execute(
        "INSERT INTO audit (audit_id, user_login, action, target_type, target_id, old_value, new_value, created_at) "
        "VALUES ((SELECT max(audit_id) + 1 FROM audit), 'support', 'eg.modifier', 'EG', $f, "
        '\'{"telephone": "01 00 00 00 00"}\', \'{"telephone": "01 00 00 00 01"}\', $at)',
        {"f": finess, "at": dt.datetime(2026, 12, 2, 16, 44, tzinfo=UTC)},
    )
    con.close()
    at = open_page(fresh_app, demo_db, "pages/fiche.py", "support", eg=finess)
    history = next(d.value for d in at.dataframe if "Champ" in d.value.columns)
    shown = pl.from_pandas(history) if not isinstance(history, pl.DataFrame) else history
    first = shown.row(0, named=True)["Date"]
    assert (first.hour, first.minute) == (17, 44)  # 16:44 UTC, 17:44 in Paris in December
    assert not at.exception


def test_today_is_the_date_in_paris_not_the_servers(rw_con, monkeypatch):
    """At 23:30 UTC on 4 December it is already the 5th in Paris: a dossier whose date d'effet is the 5th, validated
    then, is published at once, whatever the server's own clock says (a server kept in UTC)."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 4, 23, 30, tzinfo=UTC).astimezone(clock.PARIS))
    assert clock.today() == dt.date(2026, 12, 5)
    tutelle = user(rw_con, "tutelle-pc")
    dossier_id, version = rw_con.sql(
        "SELECT d.dossier_id, d.version FROM dossier d JOIN eg USING (finess_eg) "
        "WHERE d.statut = 'en_validation' AND eg.departement = '92' ORDER BY 1 LIMIT 1"
    ).fetchall()[0]
    rw_con.execute("UPDATE dossier SET date_effet = DATE '2026-12-05' WHERE dossier_id = $d", {"d": dossier_id})
    assert dossiers.validate(rw_con, tutelle, dossier_id, version) == "publie"


def test_moving_an_instant_counts_the_time_that_really_passes():
    after_march = dt.datetime(2026, 3, 29, 3, 30, tzinfo=clock.PARIS)  # 01:30 UTC, summer time
    before = clock.shifted(after_march, -dt.timedelta(hours=1))
    assert (before.hour, before.utcoffset()) == (1, dt.timedelta(hours=1))  # 01:30 winter time, never 02:30
    october = clock.shifted(dt.datetime(2026, 10, 25, 1, 30, tzinfo=clock.PARIS), dt.timedelta(hours=2))
    assert (october.hour, october.utcoffset()) == (2, dt.timedelta(hours=1))  # the second 02:30
    assert clock.shifted(after_march, dt.timedelta(0)) == after_march and before.tzinfo is clock.PARIS


def test_the_demo_dates_its_records_at_instants_that_exist_whatever_the_hour_it_is_built():
    """CI built the demo one night at an hour when a record « updated N days and M minutes ago » fell in the hour
    that the March change skips; polars refused it and every test stopped at set-up."""
    ages = quality._ages(list(range(5000)), random.Random(0), dt.datetime(2026, 3, 29, 3, 0, tzinfo=clock.PARIS))
    assert not any(
        dt.datetime(2026, 3, 29, 2) <= age.replace(tzinfo=None) < dt.datetime(2026, 3, 29, 3) for age in ages
    )
    assert pl.Series(ages).len() == 5000  # two of them were 02:01 and 02:18 on 29/03/2026
