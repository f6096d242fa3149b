"""The signed-in user in the session, and the sidebar that always shows who it is."""

from __future__ import annotations

import inspect
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import session_cookie
from components.data import cursor
from components.text import md
from ror.core import auth, clock, web_sessions
from ror.core.auth import User
from ror.core.permissions import ACTION_LABELS, PermissionDenied, role_allows, territory
from ror.core.web_sessions import IDLE_LIMIT, SEEN_EVERY, SESSION_LIMIT

USER_KEY = "auth_user"
RETURN_PARAM = "retour"  # the page a link asked for, kept in the address across the sign-in


ENDED_KEY = "session_terminee"  # why the session was closed, shown on the sign-in page
SIGNED_IN_AT = "session_debut"
LAST_SEEN = "session_dernier_clic"
TOKEN = "session_jeton"  # the browser's token (its cookie), kept server-side for sign-out
COOKIE_CODE = "session_code_cookie"  # the one-use code the page gives the browser to get its cookie
SEEN_RECORDED = "session_vue_notee"
REMOVE_COOKIE = "session_cookie_a_retirer"
COOKIE_SLOT = "ror_cookie"  # the key of the container of the cookie's image (hidden by app.PAGE_STYLE)
READ_THIS_RUN = "compte_relu"  # the account app.py read again at the start of this run, for the page it runs


def current_user() -> User | None:
    """The signed-in account as it is now: read again at every run (one small query), so that a change of role
    or scope applies at the next click and a deactivated account, or one whose password was reset, is signed
    out. A new run without an account (a reload) resumes the session of the browser's cookie, if it still holds."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        return _resume_from_cookie()
    now = clock.now()
    try:
        if now - st.session_state.get(LAST_SEEN, now) > IDLE_LIMIT:
            raise auth.SessionEnded("Votre session a expiré après une heure sans activité : reconnectez-vous.")
        if now - st.session_state.get(SIGNED_IN_AT, now) > SESSION_LIMIT:
            raise auth.SessionEnded("Votre session a expiré (douze heures au plus) : reconnectez-vous.")
        fresh = auth.current(cursor(), user)
        if (token := st.session_state.get(TOKEN)) and not web_sessions.is_open(cursor(), token):
            raise auth.SessionEnded("Vous vous êtes déconnecté (dans un autre onglet) : reconnectez-vous.")
    except auth.SessionEnded as exc:
        sign_out()
        st.session_state[ENDED_KEY] = str(exc)
        return None
    st.session_state[LAST_SEEN] = now
    if (token := st.session_state.get(TOKEN)) and now - st.session_state.get(SEEN_RECORDED, now) > SEEN_EVERY:
        web_sessions.seen_now(cursor(), token, now)  # the idle limit of a reload counts from here
        st.session_state[SEEN_RECORDED] = now
    if fresh is not user:
        st.session_state[USER_KEY] = fresh
    return fresh


def _resume_from_cookie() -> User | None:
    token = st.context.cookies.get(web_sessions.COOKIE)
    if not isinstance(token, str) or not token:
        return None
    resumed = web_sessions.resume(cursor(), token)
    if resumed is None:
        st.session_state[REMOVE_COOKIE] = True  # ended, expired or unknown: the browser drops it
        return None
    user, opened = resumed
    now = clock.now()
    st.session_state.update({USER_KEY: user, TOKEN: token, SIGNED_IN_AT: opened, LAST_SEEN: now, SEEN_RECORDED: now})
    return user


def sign_in_session(user: User) -> None:
    """Start (or, after a password change, carry on) the session of `user`, and its browser's cookie."""
    st.session_state[USER_KEY] = user
    now = clock.now()
    st.session_state.setdefault(SIGNED_IN_AT, now)
    st.session_state[SEEN_RECORDED] = now
    if token := st.session_state.get(TOKEN):
        web_sessions.carry_on(cursor(), token, user)
        return
    token = web_sessions.open_session(cursor(), user, now)
    st.session_state[TOKEN] = token
    st.session_state[COOKIE_CODE] = session_cookie.offer(token)


def sign_out() -> None:
    """End the session here and in the base (its cookie no longer signs anyone in), and have the browser drop it."""
    if token := st.session_state.get(TOKEN):
        web_sessions.end(cursor(), token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[REMOVE_COOKIE] = True


def exchange_cookie() -> None:
    """Have the browser get the cookie of its new session, or drop the cookie of an ended one (see
    components/session_cookie.py); on every run until it is done. The image is drawn in a container that every run
    draws at the same place and that is never shown: drawn only in the run after the sign-in, it moved every element
    of the page down one place, and at the next click the page drew them again from scratch (an open expander closed
    under the mouse)."""
    with st.container(key=COOKIE_SLOT):
        if st.session_state.pop(REMOVE_COOKIE, False):
            session_cookie.ask_browser("_ror/fin")
        code = st.session_state.get(COOKIE_CODE)
        if code and session_cookie.pending(code):
            session_cookie.ask_browser(f"_ror/session?code={code}")
        elif code:
            del st.session_state[COOKIE_CODE]


def render_user_panel(user: User) -> None:
    """Name, role and organisation of the signed-in user, and « Se déconnecter »."""
    with st.sidebar:
        st.markdown(f"**{md(user.display_name)}**")
        st.caption(user.role_label + (f" · {md(user.organisation)}" if user.organisation else ""))
        if user.departements:
            st.caption("Territoire : " + ", ".join(user.departements))
        if st.button("Se déconnecter", icon=":material/logout:", key="session_sign_out", width="stretch"):
            sign_out()
            st.rerun()


def run_page(page: st.Page, user: User) -> None:
    """Run `page` for `user`, the account app.py has just read again (current_user): the page's require_user takes
    it rather than read it a second time in the same run (two queries)."""
    st.session_state[READ_THIS_RUN] = user
    try:
        page.run()
    finally:
        st.session_state.pop(READ_THIS_RUN, None)


def require_user() -> User:
    """The signed-in user, for a page script: the account as app.py read it at the start of this run (run_page),
    else read now (a part of a page that reran alone reads it itself: components/page_part.py). Streamlit runs a
    pages/ script directly, without app.py, when the very first request of a fresh server targets its URL: such a run
    goes to app.py (sign-in), keeping the page and its query in the address (`retour`) so that the link opens once
    signed in."""
    user = st.session_state.get(READ_THIS_RUN) or current_user()
    if user is None:
        page = Path(inspect.stack()[1].filename).name  # the page script that asked
        params = {k: st.query_params.get_all(k) for k in st.query_params} | {RETURN_PARAM: f"pages/{page}"}
        st.switch_page("app.py", query_params=params)
    return user


def return_to(pages: dict[str, st.Page]) -> None:
    """After the sign-in, open the page a link asked for (see require_user), with its query.
    pages: script path ('pages/recherche.py') -> the page of the navigation."""
    asked = st.query_params.get(RETURN_PARAM)
    if asked is None:
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params if k != RETURN_PARAM}
    if asked not in pages:  # not a page of this user's navigation: just drop the parameter
        del st.query_params[RETURN_PARAM]
        return
    st.switch_page(pages[asked], query_params=params)


def require_territory(user: User) -> tuple[str, ...] | None:
    """The départements a Territoire page shows (None: the whole région); for anyone else the page stops on
    the French refusal (hiding the page from the navigation is not a permission)."""
    try:
        return territory(user)
    except PermissionDenied as exc:
        st.error(str(exc))
        st.stop()


def require_action(user: User, action: str) -> None:
    """An administration page stops on the French refusal for anyone whose role does not allow its action (hiding
    the page from the navigation is not a permission)."""
    if not role_allows(user, action):
        st.error(f"Votre profil ne vous permet pas de {ACTION_LABELS[action]}.")
        st.stop()


UNKNOWN_ADDRESS = "Cette adresse ne mène à aucune page ouverte à votre compte : voici votre page d'accueil."
UNKNOWN_ADDRESS_SIGNED_OUT = "Cette adresse ne mène à aucune page de l'application."


def forget_unknown_address(pages: list[st.Page]) -> bool:
    """Whether the address of this run names none of these pages (« /qualite » for a directeur, a mistyped link).
    Streamlit is then asked for the default page, so that it does not open its English « Page not found » dialog,
    and the caller says so in French (UNKNOWN_ADDRESS, or UNKNOWN_ADDRESS_SIGNED_OUT)."""
    manager = get_script_run_ctx().pages_manager
    asked = manager.intended_page_name
    if manager.intended_page_script_hash or not asked or any(page.url_path == asked for page in pages):
        return False  # a page hash unknown to the navigation already falls back to the default page, silently
    manager.set_script_intent("", "")
    return True
