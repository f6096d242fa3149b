"""The tree of the répertoire: EJ → EG → OI (pôle, service, UF) → UO, loaded one level at a time.

A node is named by a key: 'dep:93', 'ej:<FINESS>', 'eg:<FINESS>', 'oi:<id>', 'uo:<id>'. `roots` gives the
first level of a view (by EJ, by département, the user's favourites), `children` the level under a node,
`matches` the paths to what a text filter finds (so that the tree keeps the ancestors of each match).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

import queries
from ror.core.auth import User
from ror.core.errors import UserError
from ror.core.permissions import allowed
from ror.core.reference import DISCIPLINES
from ror.recherche import search_index
from ror.recherche.search import long_enough, normalise
from ror.repertoire import opening

DOMAINS = tuple(DISCIPLINES)  # MCO, SMR, PSY, SLD, MSS
DEFAULT_DOMAINS = ("MCO", "SMR", "PSY", "SLD")  # médico-social is ticked on demand
VIEWS = {"ej": "Entité juridique", "departement": "Département", "favoris": "Favoris"}
PAGE_SIZE = 50  # EJ per page at the first level
DEPARTEMENT_LIMIT = 1000  # EJ under a département node
MAX_MATCHES = 500
AUTO_EXPAND_MAX = 40  # a text filter opens the paths to its matches by itself up to this many nodes


class TreeError(UserError):
    """A request the tree cannot serve, with the French message to show."""


@dataclass(frozen=True)
class TreeFilters:
    domaines: tuple[str, ...] = DEFAULT_DOMAINS
    departements: tuple[str, ...] | None = None  # None: the whole région

    def as_params(self) -> dict:
        return {
            "domaines": list(self.domaines),
            "departements": list(self.departements) if self.departements is not None else None,
        }


@dataclass(frozen=True)
class Node:
    key: str
    kind: str  # dep, ej, eg, oi, uo
    nom: str
    detail: str  # FINESS, commune, type of OI or of UO
    badge: str  # '12 UO', or the opening status of a UO
    statut: str | None = None  # UO: opening status (ror/repertoire/opening.py)
    finess_eg: str | None = None  # the EG of an EG, OI or UO node (permissions)

    @property
    def leaf(self) -> bool:
        return self.kind == "uo"

    @property
    def ident(self) -> str:
        return self.key.split(":", 1)[1]


@dataclass
class Matches:
    """What a text filter found: the keys of the matching nodes and of every ancestor on their paths."""

    hits: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    truncated: bool = False

    def to_expand(self) -> set[str]:
        """The ancestors to open for the matches to show, when they are few enough to open at once."""
        ancestors = self.paths - self.hits
        return ancestors if len(ancestors) <= AUTO_EXPAND_MAX else set()

    def ej_keys(self) -> list[str]:
        return sorted(k.split(":", 1)[1] for k in self.paths if k.startswith("ej:"))


def _count(n: int, word: str) -> str:
    return f"{n} {word}"


def roots(
    con: duckdb.DuckDBPyConnection,
    view: str,
    filters: TreeFilters,
    *,
    user_id: int | None = None,
    page: int = 0,
    finess_ej: list[str] | None = None,
) -> tuple[list[Node], int]:
    """The first level of a view and how many nodes it has in all (EJ are served PAGE_SIZE at a time)."""
    if view == "departement":
        found = queries.run(con, "tree_departements", **filters.as_params())
        nodes = [
            Node(f"dep:{r['code']}", "dep", r["nom"], r["code"], f"{r['ej']} EJ · {r['uo']} UO")
            for r in found.iter_rows(named=True)
        ]
        return nodes, len(nodes)
    if view == "favoris":
        if user_id is None:
            raise TreeError("Les favoris demandent un utilisateur connecté.")
        nodes = favourite_nodes(con, user_id)
        return nodes, len(nodes)
    if view != "ej":
        raise TreeError(f"Vue inconnue : « {view} ».")
    return ej_nodes(con, filters, page=page, finess_ej=finess_ej)


def ej_nodes(
    con: duckdb.DuckDBPyConnection,
    filters: TreeFilters,
    *,
    page: int = 0,
    finess_ej: list[str] | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[Node], int]:
    found = queries.run(con, "tree_ej", **filters.as_params(), finess_ej=finess_ej, limite=limit, decalage=page * limit)
    nodes = [
        Node(f"ej:{r['finess_ej']}", "ej", r["raison_sociale"], f"FINESS {r['finess_ej']}", _ej_badge(r))
        for r in found.iter_rows(named=True)
    ]
    return nodes, int(found["total"][0]) if found.height else 0


def _ej_badge(row: dict) -> str:
    return f"{row['eg']} EG · {row['uo']} UO"


def children(con: duckdb.DuckDBPyConnection, key: str, filters: TreeFilters) -> list[Node]:
    """The nodes under a node (a département's first DEPARTEMENT_LIMIT EJ)."""
    kind, _, ident = key.partition(":")
    if kind == "dep":
        narrowed = TreeFilters(filters.domaines, (ident,))
        return ej_nodes(con, narrowed, limit=DEPARTEMENT_LIMIT)[0]
    if kind == "ej":
        found = queries.run(con, "tree_eg", finess_ej=ident, **filters.as_params())
        return [
            Node(
                f"eg:{r['finess_eg']}",
                "eg",
                r["nom"],
                f"FINESS {r['finess_eg']} · {r['commune'] or r['departement']}",
                _count(r["uo"], "UO") if r["uo"] else "à peupler (aucune unité)",
                finess_eg=r["finess_eg"],
            )
            for r in found.iter_rows(named=True)
        ]
    if kind == "eg":
        return _units(con, ident, None, filters)
    if kind == "oi":
        rows = con.sql("SELECT finess_eg FROM oi WHERE oi_id = $id", params={"id": int(ident)}).fetchall()
        return _units(con, rows[0][0], int(ident), filters) if rows else []
    if kind == "uo":
        return []
    raise TreeError(f"Nœud inconnu : « {key} ».")


def _units(con: duckdb.DuckDBPyConnection, finess_eg: str, oi_id: int | None, filters: TreeFilters) -> list[Node]:
    found = queries.run(con, "tree_children", finess_eg=finess_eg, oi_id=oi_id, domaines=list(filters.domaines))
    unit_ids = found.filter(found["kind"] == "uo")["id"].to_list()
    status = {}
    if unit_ids:
        status = {r["uo_id"]: r for r in opening.statuses(con, unit_ids).iter_rows(named=True)}
    nodes = []
    for r in found.iter_rows(named=True):
        if r["kind"] == "oi":
            nodes.append(Node(f"oi:{r['id']}", "oi", r["nom"], r["detail"], _count(r["uo"], "UO"), finess_eg=finess_eg))
        else:
            s = status[r["id"]]
            nodes.append(
                Node(
                    f"uo:{r['id']}",
                    "uo",
                    r["nom"],
                    f"{r['detail']} · {r['discipline']}",
                    opening.STATUS_LABELS[s["statut"]],
                    statut=s["statut"],
                    finess_eg=finess_eg,
                )
            )
    return nodes


def favourite_nodes(con: duckdb.DuckDBPyConnection, user_id: int) -> list[Node]:
    """The user's favourites as tree nodes (EJ, then EG, then UO), each expandable as usual."""
    found = queries.run(con, "tree_favoris", user_id=user_id)
    units = [int(r) for r in found.filter(found["target_type"] == "UO")["target_id"].to_list()]
    status = {r["uo_id"]: r for r in opening.statuses(con, units).iter_rows(named=True)} if units else {}
    nodes = []
    for r in found.iter_rows(named=True):
        kind = r["target_type"].lower()
        badge, statut = "favori", None
        if kind == "uo":
            statut = status[int(r["target_id"])]["statut"]
            badge = opening.STATUS_LABELS[statut]
        nodes.append(Node(f"{kind}:{r['target_id']}", kind, r["nom"], r["detail"], badge, statut, r["finess_eg"]))
    return nodes


def matches(con: duckdb.DuckDBPyConnection, text: str, filters: TreeFilters) -> Matches:
    """The nodes whose name (or FINESS) contains the text, with every ancestor: EJ, EG, OI."""
    if not long_enough(text):
        raise TreeError("Saisissez au moins 3 caractères pour filtrer l'arbre.")
    search_index.ensure_fresh(con)
    found = queries.run(con, "tree_matches", texte=normalise(text), **filters.as_params(), limite=MAX_MATCHES + 1).head(
        MAX_MATCHES + 1
    )
    result = Matches(truncated=found.height > MAX_MATCHES)
    for r in found.head(MAX_MATCHES).iter_rows(named=True):
        path = [f"ej:{r['finess_ej']}"]
        if r["finess_eg"]:
            path.append(f"eg:{r['finess_eg']}")
        path += [f"oi:{oi}" for oi in r["oi_path"] or []]
        if r["uo_id"] is not None:
            path.append(f"uo:{r['uo_id']}")
        result.hits.add(path[-1])
        result.paths.update(path)
    return result


OPEN = "Ouvrir la fiche"
ADD_FAVOURITE = "Ajouter aux favoris"
REMOVE_FAVOURITE = "Retirer des favoris"
RENAME = "Renommer"
DOSSIER = "Créer un dossier collaboratif"
REPORT = "Signaler une anomalie"


def actions(node: Node, user: User, favourite: bool) -> list[str]:
    """The actions a user may take on a node, in the order of its menu (what is not built yet is left out)."""
    if node.kind not in ("ej", "eg", "uo"):
        return []
    found = [OPEN, REMOVE_FAVOURITE if favourite else ADD_FAVOURITE]
    if node.kind in ("eg", "uo") and allowed(user, "eg.mise_a_jour_operationnelle", finess_eg=node.finess_eg):
        found.append(RENAME)  # a unit's name, an establishment's surnom (nom d'usage)
    if node.kind == "eg" and allowed(user, "dossier.editer", finess_eg=node.finess_eg):
        found.append(DOSSIER)
    if allowed(user, "anomalie.signaler"):
        found.append(REPORT)
    return found
