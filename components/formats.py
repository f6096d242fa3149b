"""Numbers as a French reader expects them: 12 463 067, 6,8 %."""

from __future__ import annotations


def integer(value: int | float | None) -> str:
    return "–" if value is None else f"{round(value):,}".replace(",", "\u202f")


def percent(share: float | None, digits: int = 1) -> str:
    return "–" if share is None else f"{share * 100:.{digits}f}".replace(".", ",") + "\u202f%"
