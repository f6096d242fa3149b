"""French-looking people, phone numbers, e-mails and street addresses for generated data."""

from __future__ import annotations

import random
import unicodedata

PRENOMS = (
    "Camille Léa Manon Chloé Inès Sarah Emma Louise Jade Alice Lucie Juliette Clara Anaïs Pauline Marie Nathalie "
    "Isabelle Sophie Valérie Catherine Sandrine Céline Aurélie Fatima Aïcha Nadia Mélanie Hélène Thomas Nicolas "
    "Julien Maxime Antoine Hugo Lucas Louis Paul Arthur Mathieu Pierre Olivier Laurent Philippe Stéphane Frédéric "
    "Christophe Karim Mehdi Yacine David Sébastien Vincent François Jérôme Alain"
).split()
NOMS = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia "
    "David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet François "
    "Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément "
    "Gauthier Dumont Lopez Fontaine Chevalier Robin Benali Haddad Diallo Traoré Nguyen Ferreira Cohen Meyer Boyer "
    "Lemaire Renaud Colin Vidal Caron Picard Roger Fabre"
).split()
VOIES = (
    "RUE DES LILAS",
    "RUE DE LA REPUBLIQUE",
    "AVENUE JEAN JAURES",
    "RUE VICTOR HUGO",
    "BOULEVARD PASTEUR",
    "RUE DU GENERAL LECLERC",
    "AVENUE DE LA GARE",
    "RUE DES ECOLES",
    "ALLEE DES TILLEULS",
    "RUE PIERRE CURIE",
    "CHEMIN DES VIGNES",
    "RUE DE LA MAIRIE",
    "AVENUE DU MARECHAL FOCH",
    "RUE GAMBETTA",
    "RUE JULES FERRY",
    "PLACE DE L EGLISE",
    "RUE DU MOULIN",
    "RUE DES ROSIERS",
    "RUE LOUISE MICHEL",
    "RUE DE PARIS",
    "RUE SIMONE VEIL",
    "RUE DES PEUPLIERS",
)
_TYPES_VOIE = {"RUE": "R", "AVENUE": "AV", "BOULEVARD": "BD", "ALLEE": "ALL", "CHEMIN": "CHE", "PLACE": "PL"}


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and dashes: 'Lefèvre' -> 'lefevre'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower()).strip("-")


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(PRENOMS), rng.choice(NOMS)


def email(prenom: str, nom: str, domain: str) -> str:
    return f"{ascii_slug(prenom)}.{ascii_slug(nom)}@{domain}"


def phone(rng: random.Random, departement: str) -> str:
    """A French landline number of the département's zone: '01 23 45 67 89'."""
    zone = (
        "01"
        if departement in ("75", "77", "78", "91", "92", "93", "94", "95")
        else rng.choice(("02", "03", "04", "05"))
    )
    return zone + "".join(f" {rng.randint(0, 99):02d}" for _ in range(4))


def format_phone(raw: str | None) -> str | None:
    """'146691313' or '0146691313' -> '01 46 69 13 13'; None when it is not a French number."""
    if not raw:
        return None
    digits = "".join(c for c in raw if c.isdigit())
    if len(digits) == 9:
        digits = "0" + digits
    if len(digits) != 10 or not digits.startswith("0"):
        return None
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def street(rng: random.Random) -> tuple[str, str, str]:
    """(numéro, type de voie, voie) of a plausible street address."""
    voie = rng.choice(VOIES)
    first, _, rest = voie.partition(" ")
    return str(rng.randint(1, 180)), _TYPES_VOIE.get(first, "R"), rest


def domain_of(name: str) -> str:
    """A plausible mail domain from an organisation name."""
    words = [w for w in ascii_slug(name).split("-") if len(w) > 2][:3]
    return ("-".join(words) or "etablissement") + ".fr"
