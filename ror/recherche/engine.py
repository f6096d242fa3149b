"""The search engine in memory: the search index read once per base and index version into arrays that every session
shares, then each search in a few vectorised passes over them (docs/recherche.md states the rules).

- `Index.load(con)`: every UO (queries/search_index_units.sql) as columns of numbers — the codes of each filter's
  values, the code lists flattened, the place, the slots and closing periods — with every EG described
  (queries/search_eg.sql) and the labels of the filters' values.
- `Index.term(con, term)`: the UO matching one term and their score for it (queries/search_term.sql, in SQL: the
  scoring rules and Jaro-Winkler stay DuckDB's), kept per term; `Index.take_terms` gives the next version of the
  index those of the previous one, read again in the EG written only.
- `Index.open_at(moment)`: whether each UO is open at an instant, kept per minute.
- `Index.select(...)`: the UO within the place, radius and territory that match every term, with their score.
- `Index.masks(filters, ...)` and `Index.facets(...)`: the « Affiner » filters and the counts of their values.

`search_index.shared_index(con)` keeps one `Index` per base and index version (search_index.py).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field

import numpy as np
import polars as pl

import queries
from ror.recherche.filters import BY_NAME, FILTERS, FIXED_LABELS, PUBLICS, SYSTEMS, Filters
from ror.recherche.geo import distance_km

UNIT_COLUMNS = (  # what a search returns of each UO it keeps (SearchResult.units), before distance, score, ouvert
    "uo_id",
    "finess_eg",
    "departement",
    "discipline",
    "type_code",
    "mode_pec_code",
    "temporalite_code",
    "public_enfants",
    "public_adultes",
    "age_min",
    "age_max",
    "activites",
    "aptitudes",
)
KEPT_TERMS = 256  # terms whose matches are kept per index
TAKEN_TERMS = 16  # of those, the latest read taken over by the next version of the index (≈ 12 ms on the demo)
KEPT_MOMENTS = 4  # minutes whose opening statuses are kept per index
NO_AGE_MIN, NO_AGE_MAX = 0, 200  # an age range left empty: no bound (the age filter's rule)


@dataclass(frozen=True)
class Coded:
    """A text column as codes: values[codes[i]] is row i's value, len(values) for none (values sorted; codes as numpy's
    index type, which bincount counts without a copy)."""

    codes: np.ndarray
    values: tuple[str, ...]

    @classmethod
    def of(cls, column: pl.Series, values: tuple[str, ...] | None = None) -> Coded:
        """The column coded on its own values, or on the values given (which must hold them all)."""
        values = values if values is not None else tuple(sorted(column.drop_nulls().unique().to_list()))
        codes = column.cast(pl.Enum(values)).to_physical().cast(pl.Int64).fill_null(len(values)).to_numpy()
        return cls(codes, values)

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        return {value: i for i, value in enumerate(self.values)}

    def code_of(self, chosen) -> np.ndarray:
        """The codes of some values (those not present: none)."""
        return np.array([self.positions[v] for v in chosen if v in self.positions], dtype=np.intp)


@dataclass(frozen=True)
class CodeLists:
    """A column of code lists flattened: row[k] carries the k-th code (coded.values[coded.codes[k]])."""

    row: np.ndarray  # ascending
    coded: Coded
    start: np.ndarray  # row -> where its codes start
    length: np.ndarray  # row -> how many codes it has

    @classmethod
    def of(cls, column: pl.Series) -> CodeLists:
        flat = pl.DataFrame({"row": np.arange(len(column)), "code": column}).explode("code").drop_nulls("code")
        row = flat["row"].to_numpy()
        every = np.arange(len(column))
        return cls(row, Coded.of(flat["code"]), np.searchsorted(row, every), np.bincount(row, minlength=len(column)))

    def codes_of(self, rows: np.ndarray) -> np.ndarray:
        """The codes of some rows, all together."""
        length = self.length[rows]
        ends = np.cumsum(length)
        flat = np.repeat(self.start[rows] - ends + length, length) + np.arange(ends[-1] if len(ends) else 0)
        return self.coded.codes[flat]

    def any_of(self, chosen, rows: int) -> np.ndarray:
        """The rows whose list holds one of the values chosen."""
        wanted = np.isin(self.coded.codes, self.coded.code_of(chosen))
        return np.bincount(self.row[wanted], minlength=rows) > 0


@dataclass
class Index:
    """Every UO of the search index, row i of each array is the i-th uo_id; built by `load`."""

    units: pl.DataFrame  # UNIT_COLUMNS, sorted by uo_id
    uo_id: np.ndarray
    eg: Coded  # row -> position in `egs` (codes), and the FINESS of each position (values)
    rows_by_eg: np.ndarray  # every row, EG after EG
    egs: pl.DataFrame  # every EG described (queries/search_eg.sql), sorted by finess_eg
    lat: np.ndarray  # NaN: no place
    lon: np.ndarray
    place: np.ndarray  # row -> position of its coordinates in `places` (several UO often share them)
    places: tuple[np.ndarray, np.ndarray]  # latitudes, longitudes: each pair once
    rows_by_lat: np.ndarray  # every row, by latitude (no place last)
    sorted_lat: np.ndarray  # their latitudes
    active: np.ndarray
    coded: dict[str, Coded]  # filter name -> its column coded (kind "values")
    lists: dict[str, CodeLists]  # filter name -> its lists flattened (kind "codes")
    public: dict[str, np.ndarray]  # 'enfants' / 'adultes' -> bool
    age_min: np.ndarray  # NO_AGE_MIN / NO_AGE_MAX where empty
    age_max: np.ndarray
    horaires: np.ndarray  # horaires_renseignes
    slots: dict[str, np.ndarray]  # row, jour, debut_min, fin_min: every slot of the semaine type
    closings: dict[str, np.ndarray]  # row, date_debut, date_fin (datetime64[D])
    labels: pl.DataFrame  # facet, value, libelle, rang: the labels of every filter's values
    _terms: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _moments: dict[tuple, np.ndarray] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, con) -> Index:
        """Read the whole index (≈ 0.2 s for the Île-de-France demo, 0.3 s at national scale)."""
        read = queries.run(con, "search_index_units")
        egs = queries.run(con, "search_eg").sort("finess_eg")
        eg = Coded.of(read["finess_eg"], tuple(egs["finess_eg"]))
        slots = read.select(pl.int_range(pl.len(), dtype=pl.Int32).alias("row"), "creneaux").explode("creneaux")
        slots = slots.drop_nulls("creneaux").unnest("creneaux")
        closings = read.select(pl.int_range(pl.len(), dtype=pl.Int32).alias("row"), "fermetures")
        closings = closings.explode("fermetures").drop_nulls("fermetures").unnest("fermetures")
        by_kind = {f.name: f for f in FILTERS}
        points = read.select(pl.col("lat", "lon").cast(pl.Float64).fill_null(np.nan))
        places = points.unique(maintain_order=True).with_row_index("place")
        place = points.join(places, on=["lat", "lon"], how="left", maintain_order="left")["place"].to_numpy()
        coordinates, places = points.to_numpy(), places.select("lat", "lon").to_numpy()
        by_lat = np.argsort(coordinates[:, 0], kind="stable")
        return cls(
            units=read.select(UNIT_COLUMNS),
            uo_id=read["uo_id"].to_numpy(),
            eg=eg,
            rows_by_eg=np.argsort(eg.codes, kind="stable"),
            egs=egs,
            lat=coordinates[:, 0].copy(),
            lon=coordinates[:, 1].copy(),
            place=place,
            places=(places[:, 0].copy(), places[:, 1].copy()),
            rows_by_lat=by_lat,
            sorted_lat=coordinates[by_lat, 0],
            active=read["active"].to_numpy(),
            coded={n: Coded.of(read[f.column]) for n, f in by_kind.items() if f.kind == "values"},
            lists={n: CodeLists.of(read[f.column]) for n, f in by_kind.items() if f.kind == "codes"},
            public={p: read[f"public_{p}"].fill_null(False).to_numpy() for p in PUBLICS},
            age_min=read["age_min"].fill_null(NO_AGE_MIN).to_numpy(),
            age_max=read["age_max"].fill_null(NO_AGE_MAX).to_numpy(),
            horaires=read["horaires_renseignes"].fill_null(False).to_numpy(),
            slots={name: slots[name].to_numpy() for name in ("row", "jour", "debut_min", "fin_min")},
            closings={name: closings[name].to_numpy() for name in ("row", "date_debut", "date_fin")},
            labels=pl.concat([FIXED_LABELS, _code_labels(con)]).unique(["facet", "value"], maintain_order=True),
        )

    @property
    def size(self) -> int:
        return len(self.uo_id)

    @functools.cached_property
    def labels_of(self) -> dict[str, dict[str, tuple[int, str]]]:
        """`labels` as facet -> value -> (rang, libelle)."""
        by_facet = self.labels.partition_by("facet", as_dict=True, include_key=False)
        return {
            facet: {value: (rang, libelle) for value, libelle, rang in rows.iter_rows()}
            for (facet,), rows in by_facet.items()
        }

    def term(self, con, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The rows matching a term and their score for it, sorted by row (read once per term)."""
        found = self._terms.get(term)
        if found is None:
            hits = queries.run(con, "search_term", terms=[term], uo_ids=None)
            found = self._keep(term, hits["uo_id"].to_numpy(), hits["score"].to_numpy())
        return found

    def take_terms(self, con, previous: Index, changed: list[str]) -> None:
        """Take over the matches of the last terms `previous` (an earlier version of the index) had read, read again
        all at once in the EG `changed` since (db.changed_since) only: after a write, the first search of each term
        read it again over the whole index (≈ 8 ms each on the demo, 30 at national scale; sixteen at once in one EG:
        ≈ 20 and 25 ms)."""
        with previous._lock:
            kept = list(previous._terms.items())[-TAKEN_TERMS:]
        if not kept:
            return
        written_units = self.uo_id[np.isin(self.eg.codes, self.eg.code_of(changed))].tolist()
        again = queries.run(con, "search_term", terms=[term for term, _ in kept], uo_ids=written_units)
        by_term = again.partition_by("term", as_dict=True, include_key=False)
        written = previous.eg.code_of(changed)
        for term, (rows, score) in kept:
            same = ~np.isin(previous.eg.codes[rows], written)
            read = by_term.get((term,), again.clear())
            uo_id = np.concatenate([previous.uo_id[rows[same]], read["uo_id"].to_numpy()])
            self._keep(term, uo_id, np.concatenate([score[same], read["score"].to_numpy()]))

    def _keep(self, term: str, uo_id: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keep a term's matches as rows sorted, with their score (a unit written since the index was read, which it
        does not hold, left out)."""
        order = np.argsort(uo_id, kind="stable")
        uo_id, score = uo_id[order], score[order]
        held = np.isin(uo_id, self.uo_id)
        found = (np.searchsorted(self.uo_id, uo_id[held]), score[held])
        with self._lock:
            bounded(self._terms, KEPT_TERMS)[term] = found
        return found

    def open_at(self, moment: dict) -> np.ndarray:
        """Whether each UO is open at an instant (opening.Moment params): its hours are given, a slot covers the minute
        (today's, or yesterday's running past midnight), and no closing period covers the date (the `ouvert` of
        queries/uo_status.sql)."""
        locaux = tuple(
            (x["departement"], x["jour"], x["veille"])
            for x in moment.get("locaux", ())
            if (x["jour"], x["veille"]) != (moment["jour"], moment["veille"])
        )
        key = (*(moment[name] for name in ("date", "minute", "jour", "veille")), locaux)
        found = self._moments.get(key)
        if found is None:
            day, minute, jour, veille, _ = key
            s = self.slots
            jours, veilles = self._planning_days(jour, veille, locaux)
            jour, veille = jours[s["row"]], veilles[s["row"]]  # the planning days of each slot's UO
            covering = ((s["jour"] == jour) & (minute >= s["debut_min"]) & (minute < s["fin_min"])) | (
                (s["jour"] == veille) & (s["fin_min"] > 1440) & (minute + 1440 < s["fin_min"])
            )
            c = self.closings
            date = np.datetime64(day, "D")
            closed = (c["date_debut"] <= date) & (date <= c["date_fin"])
            found = self.horaires & _any_row(s["row"][covering], self.size) & ~_any_row(c["row"][closed], self.size)
            with self._lock:
                bounded(self._moments, KEPT_MOMENTS)[key] = found
        return found

    def _planning_days(self, jour: int, veille: int, locaux: tuple) -> tuple[np.ndarray, np.ndarray]:
        """Today's and yesterday's planning day of every UO: the national ones, its département's where they differ
        (a holiday of Alsace-Moselle or of an overseas département)."""
        jours, veilles = np.full(self.size, jour), np.full(self.size, veille)
        for departement, own_jour, own_veille in locaux:
            coded = self.coded["departements"]
            rows = np.isin(coded.codes, coded.code_of((departement,)))
            jours[rows], veilles[rows] = own_jour, own_veille
        return jours, veilles

    def select(
        self,
        con,
        terms: tuple[str, ...],
        place: tuple[float, float] | None,
        rayon_km: float | None,
        departements: tuple[str, ...] | None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The active UO of the territory, within the radius of the place, matching every term: their rows (sorted),
        their score (a term: its best score; several: the sum of each term's best; none: 0) and their distance to the
        place."""
        box = None
        if place is not None and rayon_km is not None:  # a box around the circle first: few distances to compute
            lat, lon = place
            dlat, dlon = rayon_km / 111.0, rayon_km / (111.0 * np.cos(lat * (np.pi / 180.0))) + 0.01
            box = (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
        if terms:
            found = [self.term(con, term) for term in dict.fromkeys(terms)]
            rows, score = found[0]
            for other_rows, other_score in found[1:]:
                rows, mine, theirs = np.intersect1d(rows, other_rows, assume_unique=True, return_indices=True)
                score = score[mine] + other_score[theirs]
        else:
            if box is None:
                rows = np.arange(self.size)
            else:  # the rows within the box's latitudes, from the rows sorted by latitude
                start = np.searchsorted(self.sorted_lat, box[0], "left")
                rows = np.sort(self.rows_by_lat[start : np.searchsorted(self.sorted_lat, box[1], "right")])
            score = np.zeros(len(rows))
        keep = self.active[rows]
        if departements is not None:
            keep &= np.isin(self.coded["departements"].codes[rows], self.coded["departements"].code_of(departements))
        if box is not None:
            lats, lons = self.lat[rows], self.lon[rows]
            keep &= (lats >= box[0]) & (lats <= box[1]) & (lons >= box[2]) & (lons <= box[3])
        rows, score = rows[keep], score[keep]
        distance = None
        if place is not None:
            if len(rows) > len(self.places[0]):  # fewer distances: one per pair of coordinates
                distance = distance_km(place[0], place[1], *self.places)[self.place[rows]]
            else:
                distance = distance_km(place[0], place[1], self.lat[rows], self.lon[rows])
            if rayon_km is not None:
                near = distance <= rayon_km  # NaN (no place): not near
                rows, score, distance = rows[near], score[near], distance[near]
        return rows, score, distance

    def masks(self, filters: Filters, rows: np.ndarray, ouvert: np.ndarray) -> dict[str, np.ndarray]:
        """One mask over `rows` per filter with a value (the counts of a filter apply all the others)."""
        masks = {}
        for name, chosen in filters.chosen().items():
            kind = BY_NAME[name].kind
            if kind == "values":
                coded = self.coded[name]
                masks[name] = np.isin(coded.codes[rows], coded.code_of(chosen))
            elif kind == "codes":
                masks[name] = self.lists[name].any_of(chosen, self.size)[rows]
            elif kind == "public":
                masks[name] = self.public[chosen][rows]
            elif kind == "age":
                masks[name] = (self.age_min[rows] <= chosen) & (self.age_max[rows] >= chosen)
            else:  # ouvert
                masks[name] = ouvert
        return masks

    def facets(self, rows: np.ndarray, masks: dict[str, np.ndarray], ouvert: np.ndarray) -> dict[str, pl.DataFrame]:
        """For each counted filter, the count of UO per value with every other filter applied: value, n, libelle, the
        most frequent first (public: enfants then adultes); values no UO has are not listed (public and ouvert: 0)."""
        found = {}
        for f in FILTERS:
            if not f.counted:
                continue
            others = [mask for other, mask in masks.items() if other != f.name]
            kept = np.logical_and.reduce(others) if others else None  # None: every row
            selected = rows[kept] if others else rows
            if f.kind == "values":
                coded = self.coded[f.name]
                n = np.bincount(coded.codes[selected], minlength=len(coded.values) + 1)[:-1]
                values = coded.values
            elif f.kind == "codes":
                coded = self.lists[f.name].coded
                n = np.bincount(self.lists[f.name].codes_of(selected), minlength=len(coded.values) + 1)[:-1]
                values = coded.values
            elif f.kind == "public":
                values = tuple(PUBLICS)
                n = np.array([np.count_nonzero(self.public[p][selected]) for p in values])
            else:  # ouvert
                values, n = (f.name,), np.array([np.count_nonzero(ouvert if kept is None else ouvert[kept])])
            if f.kind in ("values", "codes"):
                present = n > 0
                values, n = [v for v, p in zip(values, present, strict=True) if p], n[present]
            found[f.name] = _counted(list(values), n, self.labels_of.get(f.name, {}))
        return found


def _counted(values: list[str], n: np.ndarray, labels: dict[str, tuple[int, str]]) -> pl.DataFrame:
    """value, n, libelle: by rang (values without a label first), the most frequent first, then by libelle."""
    order = []
    for value, count in zip(values, n.tolist(), strict=True):
        rang, libelle = labels.get(value, (None, value))
        order.append(((rang is not None, rang or 0, -count, libelle), (value, count, libelle)))
    order.sort()
    return pl.DataFrame(
        [row for _, row in order], schema={"value": pl.String, "n": pl.UInt32, "libelle": pl.String}, orient="row"
    )


def _code_labels(con) -> pl.DataFrame:
    """The labels of the code lists the filters show: facet (its filter), value (code), libelle, rang (0)."""
    found = queries.run(con, "nomenclature_labels", systems=list(SYSTEMS.values()))
    return found.select(
        facet=pl.col("system").replace_strict({v: k for k, v in SYSTEMS.items()}),
        value="code",
        libelle="libelle",
        rang=pl.lit(0, dtype=pl.Int32),
    )


def _any_row(rows: np.ndarray, size: int) -> np.ndarray:
    found = np.zeros(size, dtype=bool)
    found[rows] = True
    return found


def bounded(kept: dict, limit: int) -> dict:
    """`kept` with room for one more entry (the oldest dropped)."""
    while len(kept) >= limit:
        kept.pop(next(iter(kept)))
    return kept


@dataclass(frozen=True)
class Found:
    """The UO a search keeps: their rows in the index, score, distance to the place (None without one), status."""

    index: Index
    rows: np.ndarray
    score: np.ndarray
    distance: np.ndarray | None
    ouvert: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self, finess_eg: list[str] | None = None) -> pl.DataFrame:
        """The UO kept (of some EG only) as a frame: UNIT_COLUMNS, distance_km, score, ouvert."""
        keep = slice(None)
        if finess_eg is not None:
            keep = np.isin(self.index.eg.codes[self.rows], self.index.eg.code_of(finess_eg))
        rows = self.rows[keep]
        return self.index.units[rows].with_columns(
            distance_km=pl.Series(self.distance[keep], dtype=pl.Float64).fill_nan(None)
            if self.distance is not None
            else pl.lit(None, dtype=pl.Float64),
            score=pl.Series(self.score[keep], dtype=pl.Float64),
            ouvert=pl.Series(self.ouvert[keep], dtype=pl.Boolean),
        )

    def by_eg(self) -> pl.DataFrame:
        """Each EG of the UO kept: eg (its position in `index.egs`, which follows the FINESS order), distance_km (the
        nearest UO; null without a place), score (the best), uo, uo_ouvertes."""
        if len(self.rows) * 16 < self.index.size:  # few: sorted here
            by_eg = np.argsort(self.index.eg.codes[self.rows], kind="stable")
        else:  # many: picked from every row sorted by EG once
            position = np.empty(self.index.size, dtype=np.int64)
            position[self.rows] = np.arange(len(self.rows))
            by_eg = position[self.index.rows_by_eg[_any_row(self.rows, self.index.size)[self.index.rows_by_eg]]]
        eg = self.index.eg.codes[self.rows[by_eg]]  # the UO kept, EG after EG
        starts = np.flatnonzero(np.r_[True, eg[1:] != eg[:-1]]) if len(eg) else np.zeros(0, dtype=np.int64)
        distance = self.distance[by_eg] if self.distance is not None else np.full(len(by_eg), np.nan)
        reduce = len(starts) > 0
        return pl.DataFrame(
            {
                "eg": eg[starts],
                "distance_km": np.fmin.reduceat(distance, starts) if reduce else distance[:0],
                "score": np.maximum.reduceat(self.score[by_eg], starts) if reduce else self.score[:0],
                "uo": np.diff(np.r_[starts, len(eg)]).astype(np.uint32),
                "uo_ouvertes": np.add.reduceat(self.ouvert[by_eg].astype(np.uint32), starts)
                if reduce
                else np.zeros(0, dtype=np.uint32),
            },
            schema={
                "eg": pl.Int64,
                "distance_km": pl.Float64,
                "score": pl.Float64,
                "uo": pl.UInt32,
                "uo_ouvertes": pl.UInt32,
            },
        ).with_columns(pl.col("distance_km").fill_nan(None))
