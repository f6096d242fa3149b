-- The peuplement phase (ROR-IF user guide, phase P3), per département: while a département is « peuplement », every
-- change of its establishments goes through a dossier collaboratif « Peuplement de <EG> »; once the administrator
-- switches it to « exploitation », operational updates are made directly on the fiche. Every département of a base
-- built before this migration (the demo) is in exploitation; `python -m ror init` starts them in peuplement.
ALTER TABLE departement ADD COLUMN phase VARCHAR DEFAULT 'exploitation';
ALTER TABLE departement ADD COLUMN phase_depuis TIMESTAMP;
UPDATE departement SET phase = 'exploitation' WHERE phase IS NULL;
ALTER TABLE dossier ADD COLUMN peuplement BOOLEAN DEFAULT FALSE;  -- a dossier « Peuplement de <EG> »
UPDATE dossier SET peuplement = FALSE WHERE peuplement IS NULL;
