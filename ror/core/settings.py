"""The administrator's settings (table `setting`): every change checked, permitted and journaled the same way."""

from __future__ import annotations

import duckdb

from ror.core import audit, db
from ror.core.auth import User
from ror.core.permissions import require


def set_integer(
    con: duckdb.DuckDBPyConnection,
    user: User,
    key: str,
    value: int,
    bounds: tuple[int, int],
    error: type[Exception],
    message: str,
) -> None:
    """Set an integer setting (administrator only) within bounds, else raise `error(message)`; journaled."""
    require(con, user, "parametres")
    if not isinstance(value, int) or isinstance(value, bool) or not bounds[0] <= value <= bounds[1]:
        raise error(message)
    with db.transaction(con):
        before = db.get_setting(con, key)
        db.set_setting(con, key, str(value))
        audit.record(con, user.login, "parametre", "SETTING", key, {"valeur": before}, {"valeur": value})
