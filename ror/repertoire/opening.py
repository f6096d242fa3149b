"""Opening status of a UO at an instant: "ouvert", "fermé" … from its semaine type and closing periods.

The rule (queries/uo_status.sql applies it to many UO at once by joins on the slots and closing periods, and the
search engine, ror/recherche/engine.py, its « ouvert » for every unit of the index; this module computes their
parameters and the French wording):
1. a closing period (fermeture) that covers the date wins: closed the whole of its first and last day;
2. "horaires non renseignés": no semaine type was given, nothing can be said;
3. open when a slot of the day covers the minute, or when a slot of the day before runs past midnight and
   still covers it (22:00 -> 07:00 is stored as 1320 -> 1860);
4. a French public holiday follows the planning of Sunday (a unit open 24h/24 or on Sundays stays open);
   a unit closed only because of the holiday is shown "Fermé (jour férié)"; the holidays are those of the unit's
   département (Alsace-Moselle and the overseas départements have days of their own: LOCAL_HOLIDAYS);
5. otherwise closed.
Instants are local time in Europe/Paris.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import duckdb
import holidays
import polars as pl

import queries
from ror.core.formats import PARIS
from ror.recherche import search_index

SUNDAY = 7

# statut code -> what a user reads (and the colour of the badge)
STATUS_LABELS = {
    "ouvert": "Ouvert",
    "ferme": "Fermé",
    "ferie": "Fermé (jour férié)",
    "fermeture": "Fermeture temporaire",
    "non_renseigne": "Horaires non renseignés",
}
STATUS_COLORS = {"ouvert": "green", "ferme": "red", "ferie": "red", "fermeture": "orange", "non_renseigne": "gray"}


# The départements with public holidays of their own (`holidays`' subdivisions of France): Alsace-Moselle's Good
# Friday and 26 December, and each overseas département's abolition of slavery. Every other follows the eleven days
# of metropolitan France.
LOCAL_HOLIDAYS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


@functools.cache
def french_public_holidays(year: int, departement: str | None = None) -> dict[dt.date, str]:
    """The jours fériés of a département (None: metropolitan France), in French (the maintained `holidays` package)."""
    return dict(holidays.France(years=year, subdiv=LOCAL_HOLIDAYS.get(departement), language="fr"))


def is_public_holiday(day: dt.date, departement: str | None = None) -> bool:
    return day in french_public_holidays(day.year, departement)


def planning_day(day: dt.date, departement: str | None = None) -> int:
    """The day of the semaine type that applies on `day`: its weekday (1 = lundi), Sunday on a holiday."""
    return SUNDAY if is_public_holiday(day, departement) else day.isoweekday()


def local(instant: dt.datetime | None = None) -> dt.datetime:
    """`instant` (now when None) as a naive local time of Europe/Paris."""
    if instant is None:
        return dt.datetime.now(PARIS).replace(tzinfo=None)
    if instant.tzinfo is not None:
        return instant.astimezone(PARIS).replace(tzinfo=None)
    return instant


@dataclass(frozen=True)
class Moment:
    """The bound parameters of queries/uo_status.sql (and of the search engine's `open_at`) for one instant."""

    date: dt.date
    minute: int  # minutes since midnight
    jour: int  # the planning day that applies today (Sunday on a holiday)
    jour_semaine: int  # the real weekday
    veille: int  # the planning day of yesterday (its slots may run past midnight)
    ferie: bool
    # the départements of LOCAL_HOLIDAYS with their own (jour, veille, ferie): equal to the above, but on their days
    locaux: tuple[tuple[str, int, int, bool], ...] = ()

    @classmethod
    def at(cls, instant: dt.datetime | None = None) -> Moment:
        now = local(instant)
        today = now.date()
        return cls(
            date=today,
            minute=now.hour * 60 + now.minute,
            jour=planning_day(today),
            jour_semaine=today.isoweekday(),
            veille=planning_day(today - dt.timedelta(days=1)),
            ferie=is_public_holiday(today),
            locaux=tuple(
                (
                    dep,
                    planning_day(today, dep),
                    planning_day(today - dt.timedelta(days=1), dep),
                    is_public_holiday(today, dep),
                )
                for dep in LOCAL_HOLIDAYS
            ),
        )

    def as_params(self) -> dict:
        return {
            "date": self.date,
            "minute": self.minute,
            "jour": self.jour,
            "jour_semaine": self.jour_semaine,
            "veille": self.veille,
            "ferie": self.ferie,
            "locaux": [{"departement": d, "jour": j, "veille": v, "ferie": f} for d, j, v, f in self.locaux],
        }


def hhmm_expr(minutes: pl.Expr) -> pl.Expr:
    """1050 -> '17:30'; 1860 (past midnight) -> '07:00'."""
    m = minutes % 1440
    return pl.format("{}:{}", (m // 60).cast(pl.String).str.zfill(2), (m % 60).cast(pl.String).str.zfill(2))


def status_detail_expr() -> pl.Expr:
    """The sentence beside the badge, from the columns queries/uo_status.sql gives:
    'Ouvert jusqu'à 17:30', 'Ouvert 24h/24', 'Fermé : fermeture travaux jusqu'au 03/01/2027, réouverture
    prévue le 04/01/2027', 'Fermé (jour férié)' …"""
    closing = pl.concat_str(
        [
            pl.lit("Fermé : fermeture "),
            pl.col("fermeture_motif").fill_null("temporaire"),
            pl.lit(" jusqu'au ") + pl.col("fermeture_fin").dt.strftime("%d/%m/%Y"),
            pl.lit(", réouverture prévue le ") + pl.col("reouverture_prevue").dt.strftime("%d/%m/%Y"),
        ],
        ignore_nulls=True,
    )
    return (
        pl.when((pl.col("statut") == "ouvert") & pl.col("h24"))
        .then(pl.lit("Ouvert 24h/24"))
        .when((pl.col("statut") == "ouvert") & pl.col("ouvert_jusqua").is_not_null())
        .then(pl.lit("Ouvert jusqu'à ") + hhmm_expr(pl.col("ouvert_jusqua")))
        .when(pl.col("statut") == "fermeture")
        .then(closing)
        .otherwise(pl.col("statut").replace_strict(STATUS_LABELS))
    )


DAY_NAMES = {1: "Lundi", 2: "Mardi", 3: "Mercredi", 4: "Jeudi", 5: "Vendredi", 6: "Samedi", 7: "Dimanche"}


def week_table(slots: pl.DataFrame) -> pl.DataFrame:
    """The semaine type as a person reads it: one row per day, 'Fermé' on a day without slot.

    slots: jour, debut_min, fin_min (queries/uo_horaires.sql). Returns: jour, horaires."""
    text = pl.concat_str(
        [
            hhmm_expr(pl.col("debut_min")),
            pl.lit("–"),
            hhmm_expr(pl.col("fin_min")),
            pl.when(pl.col("fin_min") > 1440).then(pl.lit(" (le lendemain)")).otherwise(pl.lit("")),
        ]
    )
    by_day = dict(
        slots.sort("jour", "debut_min")
        .group_by("jour", maintain_order=True)
        .agg(text.str.join(", ").alias("horaires"))
        .iter_rows()
    )
    full_days = {row[0] for row in slots.filter((pl.col("debut_min") == 0) & (pl.col("fin_min") >= 1440)).rows()}
    return pl.DataFrame(
        {
            "jour": list(DAY_NAMES.values()),
            "horaires": ["24h/24" if d in full_days else by_day.get(d, "Fermé") for d in DAY_NAMES],
        }
    )


def statuses(con: duckdb.DuckDBPyConnection, uo_ids: list[int], instant: dt.datetime | None = None) -> pl.DataFrame:
    """The status of some UO at an instant (now by default): uo_id, statut, statut_detail …"""
    search_index.ensure_fresh(con)
    ids = pl.DataFrame({"uo_id": uo_ids}, schema={"uo_id": pl.Int64})
    found = queries.run(con, "uo_status", ids=ids, **Moment.at(instant).as_params())
    return found.with_columns(statut_detail=status_detail_expr())


GRID_STEP = 30  # minutes per cell of the semaine type grid


def week_grid(slots: list[tuple[int, int, int]]) -> list[list[bool]]:
    """A semaine type as a grid of 48 half-hours × 7 days (grid[row][day-1]); a slot passing midnight fills
    the next morning (Sunday night → Monday). A slot not on half-hours fills every half-hour it touches."""
    grid = [[False] * 7 for _ in range(1440 // GRID_STEP)]
    for jour, debut, fin in slots:
        for minute in range(debut - debut % GRID_STEP, fin, GRID_STEP):
            grid[(minute % 1440) // GRID_STEP][(jour - 1 + minute // 1440) % 7] = True
    return grid


def slots_from_grid(grid: list[list[bool]]) -> list[tuple[int, int, int]]:
    """The grid back to slots (jour, debut_min, fin_min), one per run of ticked half-hours of a day."""
    found = []
    for day in range(7):
        start = None
        for row in range(len(grid) + 1):
            ticked = row < len(grid) and grid[row][day]
            if ticked and start is None:
                start = row
            elif not ticked and start is not None:
                found.append((day + 1, start * GRID_STEP, row * GRID_STEP))
                start = None
    return found


def edited_slots(before: list[tuple[int, int, int]], grid: list[list[bool]]) -> list[tuple[int, int, int]]:
    """The slots of a week edited on the grid: those it had when the grid shows the same week (a slot at 08:15 or
    one passing midnight stays as it was), else the grid's runs of half-hours."""
    before = [tuple(slot) for slot in before]
    return before if grid == week_grid(before) else slots_from_grid(grid)
