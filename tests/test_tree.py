"""The tree of the répertoire (ror/repertoire/tree.py, queries/tree_*.sql): levels, domain and territory filters,
paging, the text filter's paths, favourites."""

from __future__ import annotations

import pytest

from ror.core.auth import load_user
from ror.repertoire import favoris, tree

ALL = tree.TreeFilters(domaines=tree.DOMAINS)
SANITAIRE = tree.TreeFilters()


def user(con, login: str):
    user_id = con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    return load_user(con, user_id)


def test_first_level_by_ej_is_paged_and_counted(con):
    first, total = tree.roots(con, "ej", SANITAIRE)
    second, same_total = tree.roots(con, "ej", SANITAIRE, page=1)
    assert len(first) == tree.PAGE_SIZE and total == same_total > tree.PAGE_SIZE
    assert not {n.key for n in first} & {n.key for n in second}
    names = [n.nom for n in first]
    assert names == sorted(names)
    assert first[0].key.startswith("ej:") and "EG" in first[0].badge and "UO" in first[0].badge


def test_medico_social_is_ticked_on_demand(con):
    _, sanitaire = tree.roots(con, "ej", SANITAIRE)
    _, with_mss = tree.roots(con, "ej", ALL)
    _, only_mss = tree.roots(con, "ej", tree.TreeFilters(domaines=("MSS",)))
    assert with_mss > sanitaire and only_mss > 0
    assert with_mss <= sanitaire + only_mss


def test_territory_narrows_the_tree(con):
    _, region = tree.roots(con, "ej", ALL)
    _, seine_saint_denis = tree.roots(con, "ej", tree.TreeFilters(tree.DOMAINS, ("93",)))
    assert 0 < seine_saint_denis < region
    deps, _ = tree.roots(con, "departement", tree.TreeFilters(tree.DOMAINS, ("93",)))
    assert [n.key for n in deps] == ["dep:93"]
    ej_of_93 = tree.children(con, "dep:93", ALL)
    assert ej_of_93 and all(n.kind == "ej" for n in ej_of_93)


def test_walk_down_to_a_unit_through_the_organisation(con):
    """EJ → EG → pôle → service → UF → UO, as the guide draws the tree."""
    uo_id, uf, service, pole, finess_eg, finess_ej = con.sql(
        "SELECT u.uo_id, uf.oi_id, s.oi_id, p.oi_id, u.finess_eg, e.finess_ej FROM uo u "
        "JOIN oi uf ON uf.oi_id = u.oi_id AND uf.type_code = '3' JOIN oi s ON s.oi_id = uf.parent_oi_id "
        "JOIN oi p ON p.oi_id = s.parent_oi_id JOIN eg e ON e.finess_eg = u.finess_eg "
        "WHERE u.statut = 'active' ORDER BY u.uo_id LIMIT 1"
    ).fetchall()[0]
    assert f"eg:{finess_eg}" in [n.key for n in tree.children(con, f"ej:{finess_ej}", ALL)]
    path = [f"eg:{finess_eg}", f"oi:{pole}", f"oi:{service}", f"oi:{uf}"]
    for parent, child in zip(path, [*path[1:], f"uo:{uo_id}"], strict=True):
        below = {n.key: n for n in tree.children(con, parent, ALL)}
        assert child in below, (parent, child)
        if child.startswith("oi:"):
            assert int(below[child].badge.split()[0]) > 0
    details = [n.detail for n in tree.children(con, f"oi:{pole}", ALL) if n.kind == "oi"]
    assert "Structure interne ou Service" in " ".join(details)
    unit = tree.children(con, f"oi:{uf}", ALL)[0]
    assert unit.leaf and unit.statut in {"ouvert", "ferme", "ferie", "fermeture", "non_renseigne"}
    assert unit.finess_eg == finess_eg and tree.children(con, unit.key, ALL) == []


def test_units_sit_at_every_level_and_medico_social_establishments_stay_flat(con):
    by_level = dict(
        con.sql(
            "SELECT coalesce(o.type_code, 'EG'), count(*) FROM uo u LEFT JOIN oi o USING (oi_id) GROUP BY ALL"
        ).fetchall()
    )
    assert by_level["1"] > 100 and by_level["2"] > 100 and by_level["3"] > 100 and by_level["EG"] > 1000
    assert con.sql("SELECT count(*) FROM oi WHERE type_code <> '1' AND parent_oi_id IS NULL").fetchall() == [(0,)]
    flat = con.sql(
        "SELECT count(*) FROM oi JOIN eg USING (finess_eg) WHERE eg.source = 'généré'"
    ).fetchall()  # the generated médico-social EG
    assert flat == [(0,)]
    paths = dict(con.sql("SELECT oi_id, chemin FROM oi_chemin").fetchall())
    uf = con.sql("SELECT oi_id FROM oi WHERE type_code = '3' ORDER BY oi_id LIMIT 1").fetchall()[0][0]
    assert paths[uf].startswith("POLE ") and paths[uf].count(" › ") == 2 and " › SERVICE " in paths[uf]


def test_text_filter_keeps_the_ancestors(con):
    found = tree.matches(con, "dialyse", SANITAIRE)
    assert found.hits and not found.truncated
    for hit in found.hits:
        assert hit in found.paths
    units = [k for k in found.hits if k.startswith("uo:")]
    uo_id = int(units[0].split(":")[1])
    finess_eg, finess_ej = con.sql(
        "SELECT finess_eg, finess_ej FROM uo JOIN eg USING (finess_eg) WHERE uo_id = $id", params={"id": uo_id}
    ).fetchall()[0]
    assert {f"eg:{finess_eg}", f"ej:{finess_ej}"} <= found.paths
    roots, total = tree.roots(con, "ej", SANITAIRE, finess_ej=found.ej_keys())
    assert total == len(found.ej_keys()) and {n.key for n in roots} <= found.paths


def test_text_filter_finds_a_finess_and_refuses_two_letters(con):
    finess = con.sql("SELECT finess_eg FROM eg JOIN uo USING (finess_eg) WHERE discipline = 'MCO' LIMIT 1").fetchall()
    found = tree.matches(con, finess[0][0], SANITAIRE)
    assert f"eg:{finess[0][0]}" in found.hits
    with pytest.raises(tree.TreeError, match="3 caractères"):
        tree.matches(con, "ab", SANITAIRE)
    assert not tree.matches(con, "<script>zzzz", SANITAIRE).hits


def test_unknown_view_and_node(con):
    with pytest.raises(tree.TreeError, match="Vue inconnue"):
        tree.roots(con, "pays", SANITAIRE)
    with pytest.raises(tree.TreeError, match="Nœud inconnu"):
        tree.children(con, "xx:1", SANITAIRE)


def test_favourites(rw_con):
    support = user(rw_con, "admin")  # no favourite in the demo
    ej = tree.roots(rw_con, "ej", SANITAIRE)[0][0]
    eg = tree.children(rw_con, ej.key, SANITAIRE)[0]
    favoris.add(rw_con, support, eg.key)
    favoris.add(rw_con, support, eg.key)  # twice is once
    favoris.add(rw_con, support, ej.key)
    nodes, total = tree.roots(rw_con, "favoris", SANITAIRE, user_id=support.user_id)
    assert total == 2 and [n.key for n in nodes] == [ej.key, eg.key]
    assert favoris.keys(rw_con, support) == {ej.key, eg.key}
    assert tree.roots(rw_con, "favoris", SANITAIRE, user_id=user(rw_con, "referent").user_id) == ([], 0)
    favoris.remove(rw_con, support, ej.key)
    assert favoris.keys(rw_con, support) == {eg.key}
    with pytest.raises(favoris.FavoriError):
        favoris.add(rw_con, support, "dep:93")
    logged = rw_con.sql("SELECT count(*) FROM audit WHERE action LIKE 'favori.%' AND user_login = 'admin'").fetchall()[
        0
    ][0]
    assert logged == 4


def test_a_broad_filter_does_not_open_everything(con):
    narrow = tree.matches(con, "dialyse", SANITAIRE)
    assert narrow.to_expand() == narrow.paths - narrow.hits
    broad = tree.matches(con, "unite", tree.TreeFilters(domaines=tree.DOMAINS))
    assert len(broad.paths) > tree.AUTO_EXPAND_MAX and broad.to_expand() == set()


def test_an_eg_without_any_unit_shows_whatever_the_domains_as_to_populate(rw_con):
    finess_ej, finess_eg, nom = rw_con.sql(
        "SELECT eg.finess_ej, eg.finess_eg, eg.nom FROM eg JOIN uo USING (finess_eg) WHERE uo.discipline = 'MCO' "
        "AND eg.departement = '93' GROUP BY ALL HAVING count(DISTINCT uo.discipline) = 1 ORDER BY 2 LIMIT 1"
    ).fetchall()[0]
    only_mss = tree.TreeFilters(domaines=("MSS",))
    assert f"eg:{finess_eg}" not in {n.key for n in tree.children(rw_con, f"ej:{finess_ej}", only_mss)}
    rw_con.execute("UPDATE uo SET statut = 'fermee' WHERE finess_eg = $f", {"f": finess_eg})  # nothing left to show
    (node,) = [n for n in tree.children(rw_con, f"ej:{finess_ej}", only_mss) if n.key == f"eg:{finess_eg}"]
    assert node.badge == "à peupler (aucune unité)"
    assert f"eg:{finess_eg}" in tree.matches(rw_con, finess_eg, only_mss).hits  # the text filter finds it too
    assert f"eg:{finess_eg}" in tree.matches(rw_con, nom[:12], only_mss).hits
