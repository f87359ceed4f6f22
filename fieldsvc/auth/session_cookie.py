"""The session cookie is sent only when what the session holds changed.

A page and the service worker's background fetches run side by side. Flask sends the cookie whenever the
session is marked modified, and Flask-Login marks an anonymous session modified on its first request from
a client (it sets `_fresh = False`, which means nothing without a user). Such an answer to a request sent
just before the login, landing just after it, put the anonymous session back over the fresh login cookie:
the next page went back to /login (issue #23, item 10). So: a response whose session holds what the request
brought sends no Set-Cookie, and the anonymous `_fresh` flag is not kept. A real change (a login, a logout,
a new CSRF token, a flash) still sends it.
"""
import copy

from flask.sessions import SecureCookieSessionInterface

USER_KEY = "_user_id"  # Flask-Login's key of the logged-in user


class QuietSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        session = super().open_session(app, request)
        if session is not None:
            session.loaded = copy.deepcopy(dict(session))  # what the request's cookie held
        return session

    def should_set_cookie(self, app, session) -> bool:
        # Sessions here are not permanent (remember-me is its own cookie): no refresh on every request.
        return session.modified

    def save_session(self, app, session, response) -> None:
        if USER_KEY not in session and "_fresh" in session:
            del session["_fresh"]
        if session.modified and dict(session) == getattr(session, "loaded", None):
            session.modified = False  # written, but to what it already was: nothing to send
        super().save_session(app, session, response)


def init_app(app) -> None:
    app.session_interface = QuietSessionInterface()
