"""The one family of errors a person can cause. Every one carries its French message (`str(exc)`); a page shows it
where the person acted (components/feedback.attempt catches `UserError`), the command line prints it. Anything
else is a bug: a French message with an error number on screen, the details in the server log."""

from __future__ import annotations


class UserError(Exception):
    """Something a person asked that cannot be done, and why, in French. `errors` maps a form's fields to their
    messages when there are several (ror/validation.ValidationError)."""

    errors: dict[str, str] | None = None


class Conflict(UserError):
    """Someone else acted first on the version the person saw: nothing was done; the page reloads it and says why."""
