-- 009: each label of the search index keeps the list of the active UO carrying it (their uo_id), so that a
-- search finds the UO of a matching label from that list instead of reading every row of uo_code
-- (queries/search_uo.sql). The index is rebuilt by the next search, or by `python -m ror migrate`.
ALTER TABLE recherche_libelle ADD COLUMN uo_ids BIGINT[] DEFAULT [];
DELETE FROM setting WHERE key = 'index_recherche_version';
