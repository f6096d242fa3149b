-- What a dossier's copy of a UO holds besides its columns (ror/dossiers/drafts.py): its codes, its semaine type and its
-- closing periods — of many UO in one read. Returns: uo_id, codes (STRUCT(system, code)[]), creneaux
-- (STRUCT(jour, debut_min, fin_min)[]), fermetures (STRUCT(date_debut, date_fin, motif, reouverture_prevue)[]); a list
-- is NULL when the UO has none. Params: $uo_ids (BIGINT[]).
WITH wanted AS (SELECT uo_id FROM uo WHERE list_contains($uo_ids, uo_id))
SELECT w.uo_id, c.codes, h.creneaux, f.fermetures
FROM wanted w
LEFT JOIN (
    SELECT uo_id, list({'system': system, 'code': code}) AS codes
    FROM uo_code WHERE uo_id IN (SELECT uo_id FROM wanted) GROUP BY uo_id
) c USING (uo_id)
LEFT JOIN (
    SELECT uo_id,
        list({'jour': jour, 'debut_min': debut_min, 'fin_min': fin_min} ORDER BY jour, debut_min, fin_min) AS creneaux
    FROM horaire WHERE uo_id IN (SELECT uo_id FROM wanted) GROUP BY uo_id
) h USING (uo_id)
LEFT JOIN (
    SELECT uo_id,
        list({'date_debut': date_debut, 'date_fin': date_fin, 'motif': motif, 'reouverture_prevue': reouverture_prevue})
            AS fermetures
    FROM fermeture WHERE uo_id IN (SELECT uo_id FROM wanted) GROUP BY uo_id
) f USING (uo_id)
