-- 018: the postal codes of a place as « Où » shows them: all of them up to three, else the first and the last (Paris:
-- « 75001 à 75020 », not its 21 codes, which pushed the arrondissements out of the suggestions' row).
CREATE OR REPLACE MACRO codes_postaux_lus(codes) AS
    CASE WHEN len(string_split(coalesce(codes, ''), '|')) > 3
        THEN string_split(codes, '|')[1] || ' à ' || string_split(codes, '|')[-1]
        ELSE replace(coalesce(codes, ''), '|', ', ')
    END;
