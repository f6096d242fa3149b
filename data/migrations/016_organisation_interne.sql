-- 016: the path of every organisation interne (JDV_J203: pôle › service › unité fonctionnelle), for the fiche's
-- breadcrumb, the units of a fiche EG, the dossier's choice of where a unit sits and the exports. Returns: oi_id,
-- finess_eg, niveau (depth, 1 = directly under the EG), chemin (« PÔLE … › SERVICE … › UF … »).
CREATE VIEW oi_chemin AS
WITH RECURSIVE up (oi_id, finess_eg, ancestor, depth) AS (
    SELECT oi_id, finess_eg, oi_id, 0 FROM oi
    UNION ALL
    SELECT up.oi_id, up.finess_eg, o.parent_oi_id, up.depth + 1
    FROM up JOIN oi o ON o.oi_id = up.ancestor
    WHERE o.parent_oi_id IS NOT NULL AND up.depth < 10
)
SELECT up.oi_id, any_value(up.finess_eg) AS finess_eg, max(up.depth) + 1 AS niveau,
    string_agg(a.nom, ' › ' ORDER BY up.depth DESC) AS chemin
FROM up JOIN oi a ON a.oi_id = up.ancestor
GROUP BY up.oi_id;
