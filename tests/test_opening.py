"""Open/closed at edge instants (queries/uo_status.sql with ror/repertoire/opening.py), and French public holidays."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from ror.core import db
from ror.demo.rows import H24, JOURNEE, NUIT
from ror.repertoire import opening


@pytest.fixture
def units():
    """An in-memory répertoire with five UO: 1 day unit, 2 night unit (19:00 -> 08:00), 3 open 24h/24,
    4 without opening hours, 5 open on Sunday night only (22:00 -> 02:00); unit 1 has a closing period from
    2026-12-21 to 2026-12-27."""
    con = duckdb.connect(":memory:")
    db.migrate(con)
    con.execute(
        "INSERT INTO eg (finess_eg, finess_ej, nom, departement, lat, lon, source)"
        " VALUES ('750000001', '750000002', 'EG', '75', 48.85, 2.35, 'test')"
    )
    sunday_night = [(7, 1320, 1560)]
    units = ((1, JOURNEE, True), (2, NUIT, True), (3, H24, True), (4, [], False), (5, sunday_night, True))
    for uo_id, semaine, renseignes in units:
        con.execute(
            "INSERT INTO uo (uo_id, finess_eg, nom, type_code, champ_code, discipline, source, horaires_renseignes)"
            " VALUES ($id, '750000001', 'U', '11', '01', 'MCO', 'test', $r)",
            {"id": uo_id, "r": renseignes},
        )
        for jour, debut, fin in semaine:
            con.execute("INSERT INTO horaire VALUES ($id, $j, $d, $f)", {"id": uo_id, "j": jour, "d": debut, "f": fin})
    con.execute(
        "INSERT INTO fermeture VALUES (1, 1, DATE '2026-12-21', DATE '2026-12-27', 'travaux', DATE '2026-12-28')"
    )
    yield con
    con.close()


def status(con, uo_id: int, when: str) -> dict:
    return opening.statuses(con, [uo_id], dt.datetime.fromisoformat(when)).row(0, named=True)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-11-24T08:29", "ferme"),  # a Tuesday, one minute before opening
        ("2026-11-24T08:30", "ouvert"),
        ("2026-11-24T17:29", "ouvert"),
        ("2026-11-24T17:30", "ferme"),  # the end minute is closed
        ("2026-11-28T10:00", "ferme"),  # Saturday
        ("2026-12-21T10:00", "fermeture"),  # first day of the closing period
        ("2026-12-27T23:59", "fermeture"),  # last day
        ("2026-12-28T10:00", "ouvert"),  # reopened
        ("2026-11-11T10:00", "ferie"),  # Armistice, a Wednesday
    ],
)
def test_day_unit(units, when, expected):
    assert status(units, 1, when)["statut"] == expected


def test_closing_period_is_described_with_its_reopening(units):
    found = status(units, 1, "2026-12-22T10:00")
    assert found["statut_detail"] == "Fermé : fermeture travaux jusqu'au 27/12/2026, réouverture prévue le 28/12/2026"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-11-23T18:59", "ferme"),  # Monday before 19:00
        ("2026-11-23T23:59", "ouvert"),
        ("2026-11-24T00:00", "ouvert"),  # past midnight, from Monday's slot
        ("2026-11-24T07:59", "ouvert"),
        ("2026-11-24T08:00", "ferme"),
        ("2026-11-28T03:00", "ouvert"),  # Saturday night: Friday's slot runs until 08:00
        ("2026-11-29T03:00", "ferme"),  # Sunday night: no Saturday slot
    ],
)
def test_night_unit_past_midnight(units, when, expected):
    assert status(units, 2, when)["statut"] == expected


def test_night_slot_end_is_shown_in_the_morning(units):
    assert status(units, 2, "2026-11-24T02:00")["statut_detail"] == "Ouvert jusqu'à 08:00"


def test_sunday_night_slot_on_a_holiday_monday(units):
    """Easter Monday follows Sunday's planning, like the Sunday before it: at 01:00 the unit is open from
    Sunday's slot (until 02:00), not from the Monday-as-Sunday one (which starts at 22:00)."""
    found = status(units, 5, "2027-03-29T01:00")
    assert (found["statut"], found["statut_detail"], found["ouvert_jusqua"]) == ("ouvert", "Ouvert jusqu'à 02:00", 120)
    assert status(units, 5, "2027-03-29T02:00")["statut"] == "ferme"
    assert status(units, 5, "2027-03-29T23:00")["statut"] == "ouvert"  # the holiday's own night


@pytest.mark.parametrize("when", ["2026-11-24T00:00", "2026-12-25T12:00", "2026-11-29T23:59"])
def test_unit_open_24h(units, when):
    found = status(units, 3, when)
    assert (found["statut"], found["statut_detail"]) == ("ouvert", "Ouvert 24h/24")


def test_hours_not_given(units):
    assert status(units, 4, "2026-11-24T10:00")["statut_detail"] == "Horaires non renseignés"


def test_french_public_holidays():
    days = opening.french_public_holidays(2026)
    assert len(days) == 11
    assert days[dt.date(2026, 4, 6)] == "Lundi de Pâques"
    assert days[dt.date(2026, 5, 14)] == "Ascension"
    assert days[dt.date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert opening.french_public_holidays(2027)[dt.date(2027, 3, 29)] == "Lundi de Pâques"  # Easter moves
    assert dt.date(2026, 12, 26) not in days  # Saint-Étienne is Alsace-Moselle's, not Île-de-France's
    assert opening.planning_day(dt.date(2026, 12, 25)) == 7  # a Friday, but a holiday: Sunday's planning
    assert opening.planning_day(dt.date(2026, 12, 24)) == 4


def test_moment_uses_paris_time():
    utc = dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC)  # 00:30 in Paris, the next day
    moment = opening.Moment.at(utc)
    assert (moment.date, moment.minute, moment.jour, moment.veille) == (dt.date(2026, 11, 25), 30, 3, 2)


def test_week_table():
    import polars as pl

    slots = pl.DataFrame({"jour": [1, 1, 2], "debut_min": [510, 840, 1140], "fin_min": [720, 1050, 1920]})
    table = opening.week_table(slots)
    assert table.row(0) == ("Lundi", "08:30–12:00, 14:00–17:30")
    assert table.row(1) == ("Mardi", "19:00–08:00 (le lendemain)")
    assert table.row(6) == ("Dimanche", "Fermé")


def test_week_grid_round_trip_and_night_slots():
    slots = [(1, 510, 1080), (3, 0, 1440), (7, 1200, 1920)]  # Monday 8:30-18:00, Wednesday all day, Sunday night
    grid = opening.week_grid(slots)
    assert len(grid) == 48 and all(len(row) == 7 for row in grid)
    assert grid[17][0] and not grid[16][0] and grid[35][0] and not grid[36][0]
    assert grid[40][6] and grid[0][0] and grid[15][0]  # Sunday 20:00 and Monday 00:00-08:00 (Sunday night)
    assert opening.slots_from_grid(grid) == [(1, 0, 480), (1, 510, 1080), (3, 0, 1440), (7, 1200, 1440)]
    assert opening.week_grid(opening.slots_from_grid(grid)) == grid


def test_week_grid_edges():
    assert opening.slots_from_grid(opening.week_grid([])) == []
    full = [[True] * 7 for _ in range(48)]
    assert opening.slots_from_grid(full) == [(d, 0, 1440) for d in range(1, 8)]  # « 7j/7 et 24h/24 »
    assert opening.week_grid([(2, 545, 560)])[18][1]  # 9:05-9:20 touches the 9:00 half-hour


@pytest.mark.parametrize(
    "when",
    [
        "2026-11-24T10:30",
        "2026-11-24T00:15",
        "2026-12-25T11:00",
        "2026-08-10T03:00",
        "2026-11-29T23:59",
        "2026-12-21T00:00",
    ],
)
def test_the_search_flag_and_the_status_say_the_same_on_every_demo_unit(con, when):
    """The search engine computes « ouvert » for every unit of the index (ror/recherche/engine.py); queries/uo_status.sql
    the status of those shown: two statements of one rule, kept equal."""
    import queries
    from ror.recherche import search_index

    moment = opening.Moment.at(dt.datetime.fromisoformat(when)).as_params()
    index = search_index.shared_index(con)
    flags = pl.DataFrame({"uo_id": index.uo_id, "ouvert": index.open_at(moment)})
    shown = queries.run(con, "uo_status", ids=flags.select("uo_id"), **moment)
    both = flags.join(shown, on="uo_id")
    assert both.height == flags.height > 5000
    assert (both["ouvert"] == (both["statut"] == "ouvert")).all()
    assert both["ouvert"].any() and not both["ouvert"].all()


def test_a_week_left_as_it_was_keeps_its_slots():
    """The week editor (a grid of half-hours) gives back the slots it was opened with when its grid is unchanged:
    a quarter-hour or a night slot is not rounded by opening and saving a fiche."""
    slots = [(1, 495, 1080), (5, 1320, 1860)]  # 08:15-18:00, Friday 22:00 → Saturday 07:00
    grid = opening.week_grid(slots)
    assert opening.edited_slots([list(s) for s in slots], grid) == slots
    grid[0][2] = True  # Wednesday 00:00-00:30 ticked
    changed = opening.edited_slots(slots, grid)
    assert (3, 0, 30) in changed and (1, 480, 1080) in changed  # the grid's half-hours, once edited


def test_alsace_moselle_and_the_overseas_departements_have_their_own_holidays():
    good_friday, saint_etienne = dt.date(2026, 4, 3), dt.date(2026, 12, 26)
    for departement in ("57", "67", "68"):
        days = opening.french_public_holidays(2026, departement)
        assert days[good_friday] == "Vendredi saint" and days[saint_etienne] == "Saint-Étienne" and len(days) == 13
        assert opening.planning_day(good_friday, departement) == 7
    assert opening.planning_day(good_friday, "92") == 5 and opening.planning_day(good_friday) == 5
    assert "Abolition de l'esclavage" in opening.french_public_holidays(2026, "971").values()
    moment = opening.Moment.at(dt.datetime(2026, 4, 3, 10, 0))
    assert (moment.jour, moment.ferie) == (5, False)  # nationally an ordinary Friday
    assert ("57", 7, 4, True) in moment.locaux  # in Moselle, Sunday's planning


def test_a_unit_of_moselle_follows_its_holidays_in_the_status_and_the_search(rw_con):
    """Good Friday 10:00: a weekday unit of Hauts-de-Seine is open; moved to Moselle, it is closed for the holiday —
    the same in queries/uo_status.sql and in the search engine."""
    import queries
    from ror.recherche import search_index

    friday = dt.datetime(2026, 4, 3, 10, 0)
    uo_id, finess = rw_con.sql(
        "SELECT u.uo_id, u.finess_eg FROM uo u WHERE u.statut = 'active' AND u.horaires_renseignes "
        "AND EXISTS (SELECT 1 FROM horaire h WHERE h.uo_id = u.uo_id AND h.jour = 5 AND h.debut_min <= 600 "
        "AND h.fin_min > 600) AND NOT EXISTS (SELECT 1 FROM horaire h WHERE h.uo_id = u.uo_id AND h.jour = 7) "
        "AND NOT EXISTS (SELECT 1 FROM fermeture f WHERE f.uo_id = u.uo_id) ORDER BY u.uo_id LIMIT 1"
    ).fetchall()[0]

    def both() -> tuple[str, bool]:
        moment = opening.Moment.at(friday).as_params()
        status = queries.run(rw_con, "uo_status", ids=pl.DataFrame({"uo_id": [uo_id]}), **moment)["statut"][0]
        index = search_index.shared_index(rw_con)
        return status, bool(index.open_at(moment)[index.uo_id == uo_id][0])

    assert both() == ("ouvert", True)
    rw_con.execute("UPDATE eg SET departement = '57' WHERE finess_eg = $f", {"f": finess})
    search_index.record_write(rw_con, [finess])
    assert both() == ("ferie", False)
