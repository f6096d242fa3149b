"""Numbers and hours as a French reader expects them: 12 463 067, 6,8 %, 08:30. One place for the pages, the
exports' texts, the command line and the messages of ror/."""

from __future__ import annotations

from ror.core.clock import PARIS  # noqa: F401 (every instant a person reads is a Paris time)

NARROW_SPACE = "\u202f"  # between thousands, and before « % »


def integer(value: int | float | None) -> str:
    return "–" if value is None else f"{round(value):,}".replace(",", NARROW_SPACE)


def decimal(value: float | None, digits: int = 1) -> str:
    """A number with a decimal comma: 23,1."""
    return "–" if value is None else f"{value:,.{digits}f}".replace(",", NARROW_SPACE).replace(".", ",")


def km(value: float | None) -> str:
    """A distance: « 0,4 km »."""
    return "–" if value is None else f"{decimal(value, 1)}{NARROW_SPACE}km"


def megabytes(size: int) -> str:
    """A file's size: « 24,1 Mo »."""
    return f"{decimal(size / 1e6, 1)}{NARROW_SPACE}Mo"


def percent(share: float | None, digits: int = 1) -> str:
    return "–" if share is None else f"{share * 100:.{digits}f}".replace(".", ",") + NARROW_SPACE + "%"


def clock(minutes: int) -> str:
    """Minutes after midnight as « HH:MM » (1440, the end of a day, is « 24:00 »)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
