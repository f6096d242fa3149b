-- The SMR campaign as its guide writes it (« Vérification et mise à jour des données de votre établissement »): the
-- responsable of a unit with his coordonnées (function — médecin, cadre infirmier… —, telephone, beside his name and
-- e-mail), and the optional contact of the président de la CME of an establishment.
ALTER TABLE uo ADD COLUMN responsable_fonction VARCHAR;
ALTER TABLE uo ADD COLUMN responsable_telephone VARCHAR;
ALTER TABLE eg ADD COLUMN cme_nom VARCHAR;
ALTER TABLE eg ADD COLUMN cme_telephone VARCHAR;
ALTER TABLE eg ADD COLUMN cme_email VARCHAR;
