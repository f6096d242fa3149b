"""How the browser gets, and loses, the cookie of its session (ror/core/web_sessions.py).

A cookie that no script can read (HttpOnly) can only be set by an HTTP response, and a Streamlit run answers over
its WebSocket. So, once signed in, the page asks the browser for an image from `serve.py`'s route
`_ror/session?code=…`: a code of one use, valid one minute, that the route exchanges for the cookie (the token never
appears in the page). Signing out asks for `_ror/fin`, which deletes it. The codes live in this process's memory,
shared by the runs of the app and the routes of serve.py (one process: `streamlit run serve.py`).
"""

from __future__ import annotations

import secrets
import threading
import time

import streamlit as st

from ror.core.web_sessions import COOKIE, SESSION_LIMIT

CODE_SECONDS = 60
_CODES: dict[str, tuple[str, float]] = {}  # code -> (token, deadline)
_LOCK = threading.Lock()


def offer(token: str) -> str:
    """A one-use code for `token`, to put in the page (see render)."""
    code = secrets.token_urlsafe(24)
    with _LOCK:
        now = time.monotonic()
        for old in [c for c, (_, deadline) in _CODES.items() if deadline < now]:
            del _CODES[old]
        _CODES[code] = (token, now + CODE_SECONDS)
    return code


def pending(code: str) -> bool:
    with _LOCK:
        return code in _CODES and _CODES[code][1] >= time.monotonic()


def take(code: str | None) -> str | None:
    """The token of a code not yet used nor expired (the code is used up)."""
    with _LOCK:
        token, deadline = _CODES.pop(code or "", (None, 0.0))
    return token if deadline >= time.monotonic() else None


def ask_browser(path: str) -> None:
    """Make the browser request `path` of this server (an invisible image: no script runs)."""
    st.html(f'<img src="{path}" alt="" width="1" height="1" style="position:absolute;opacity:0">')


# The routes of serve.py (Starlette): both answer 204, with no body, never cached.
async def give_cookie(request):
    from starlette.responses import Response

    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    if token := take(request.query_params.get("code")):
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(SESSION_LIMIT.total_seconds()),
            path="/",
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
    return response


async def remove_cookie(request):
    from starlette.responses import Response

    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


def _secure(request) -> bool:
    """Secure when the browser came in HTTPS (directly or through the reverse proxy, docs/exploitation.md)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").startswith("https")


def routes() -> list:
    from starlette.routing import Route

    return [Route("/_ror/session", give_cookie, methods=["GET"]), Route("/_ror/fin", remove_cookie, methods=["GET"])]
