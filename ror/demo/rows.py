"""The rows a demo build accumulates before they are written to the database in bulk."""

from __future__ import annotations

from dataclasses import dataclass, field

# Semaine type presets: (jour 1-7, début, fin) in minutes; fin > 1440 runs past midnight.
H24 = [(d, 0, 1440) for d in range(1, 8)]
JOURNEE = [(d, 510, 1050) for d in range(1, 6)]  # 8:30-17:30, lundi-vendredi
EXTERNAT = [(d, 510, 990) for d in (1, 2, 4, 5)] + [(3, 510, 750)]  # mercredi matin
NUIT = [(d, 1140, 1920) for d in range(1, 6)]  # 19:00 -> 8:00 le lendemain
CONSULTATION = [(d, 540, 1080) for d in range(1, 6)] + [(6, 540, 720)]
DIALYSE = [(d, 420, 1200) for d in range(1, 7)]
SERVICE = [(d, 540, 1020) for d in range(1, 6)]
ESAT = [(d, 480, 990) for d in range(1, 6)]


@dataclass
class Rows:
    """Tables as lists of dicts, with the id counters of a build."""

    ej: list[dict] = field(default_factory=list)
    eg: list[dict] = field(default_factory=list)
    oi: list[dict] = field(default_factory=list)
    uo: list[dict] = field(default_factory=list)
    uo_code: list[dict] = field(default_factory=list)
    horaire: list[dict] = field(default_factory=list)
    fermeture: list[dict] = field(default_factory=list)

    def add_oi(self, finess_eg: str, type_code: str, nom: str, parent: int | None = None) -> int:
        oi_id = len(self.oi) + 1
        self.oi.append(
            {"oi_id": oi_id, "finess_eg": finess_eg, "parent_oi_id": parent, "type_code": type_code, "nom": nom}
        )
        return oi_id

    def add_uo(self, uo: dict, codes: dict[str, list[str]], semaine: list[tuple[int, int, int]] | None) -> int:
        """Add a unit with its code lists and its semaine type (None: horaires non renseignés)."""
        uo_id = len(self.uo) + 1
        uo = {"uo_id": uo_id, "oi_id": None, "horaires_renseignes": semaine is not None, **uo}
        self.uo.append(uo)
        for system, values in codes.items():
            for code in dict.fromkeys(values):
                self.uo_code.append({"uo_id": uo_id, "system": system, "code": code})
        for jour, debut, fin in semaine or []:
            self.horaire.append({"uo_id": uo_id, "jour": jour, "debut_min": debut, "fin_min": fin})
        return uo_id

    def add_fermeture(self, uo_id: int, debut, fin, motif: str, reouverture=None) -> None:
        self.fermeture.append(
            {
                "fermeture_id": len(self.fermeture) + 1,
                "uo_id": uo_id,
                "date_debut": debut,
                "date_fin": fin,
                "motif": motif,
                "reouverture_prevue": reouverture,
            }
        )
