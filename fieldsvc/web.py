"""The edge kit pages share: where a page may send the browser next.

`safe_next` is the one check every `next` / `back` / Referer redirect goes through, so a link like
`/login?next=/%09/evil.example` can never send a logged-in user to another site: browsers drop tabs and
newlines from a Location and read `//host` or `/\\host` as another host, so anything but a plain local
path is refused and the caller falls back to its own default.
"""
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import request

MAX_LENGTH = 2000
# Letters that show nothing although they are not "format" characters (Hangul fillers, Braille blank…).
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def invisible(ch: str) -> bool:
    """Control, format (zero-width, bidi), separator or blank-looking characters: nothing a person can see."""
    return ch.isspace() or unicodedata.category(ch) in _REFUSED_CATEGORIES or ch in _BLANK_LOOKING


def _decoded_forms(target: str) -> list[str]:
    """The value as given and as percent-decoded (repeatedly: %2509 → %09 → tab), until it stops changing."""
    forms = [target]
    for _ in range(4):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return forms


def _local_path(form: str) -> bool:
    if not form.startswith("/") or form.startswith("//") or "\\" in form:
        return False
    if any(invisible(ch) for ch in form):
        return False
    parts = urlsplit(form)
    if parts.scheme or parts.netloc:
        return False
    # A path segment "." or ".." in front of "//" normalises to an authority on some clients; no page of
    # this app has an empty segment, so refuse "//" anywhere in the path.
    return "//" not in parts.path


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/…"), else None (the caller uses its default).

    Refused: a scheme (`https:`, `javascript:`), an authority (`//host`, `///host`, `/\\host`), any
    backslash, any control, format or whitespace character (tab, newline, zero-width, bidi, no-break
    space…), in the value itself or in any percent-decoded form of it.
    """
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    if all(_local_path(form) for form in _decoded_forms(target)):
        return target
    return None


def safe_referrer() -> str | None:
    """The Referer of this request as a local path (`/page?query`) when it is a page of this site, else None."""
    referrer = request.referrer
    if not referrer or len(referrer) > MAX_LENGTH:
        return None
    try:
        parts = urlsplit(referrer)
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower():
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))
