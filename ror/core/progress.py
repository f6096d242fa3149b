"""How a long job (demo build, FINESS import) tells its progress: a callable given the fraction done and what it does
now (a progress bar in the app, a line in the terminal)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]


def no_progress(_fraction: float, _message: str) -> None:
    """For a caller that does not show progress."""
