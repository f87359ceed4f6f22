"""The bottom tab bar and the home tiles, built from the user's permissions (mirrors the services)."""
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from fieldsvc.permissions import P, can


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    icon: str
    permission: P | None = None  # None: every logged-in user
    order: int = 50  # position in the menu: Home 0 … Me 100
    tab: bool = True  # in the bottom bar (at most 5 fit); else only a home tile


ITEMS: list[NavItem] = [NavItem("core.home", _l("Home"), "home", order=0)]
MAX_TABS = 5


def add(item: NavItem) -> None:
    """Domains add their menu entries from their init_app (idempotent: apps are built many times in tests)."""
    if all(i.endpoint != item.endpoint for i in ITEMS):
        ITEMS.append(item)
        ITEMS.sort(key=lambda i: i.order)


def items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return [i for i in ITEMS if i.permission is None]
    return list(_items_for_role(user.role, len(ITEMS)))


@lru_cache(maxsize=64)
def _items_for_role(role: str, _version: int) -> tuple[NavItem, ...]:
    """The menu depends on the role alone (permissions are granted per role): built once per role, not per
    page. `_version` (the number of items) renews it if a domain adds an item after the first page."""
    return tuple(i for i in ITEMS if i.permission is None or can(_RoleOnly(role), i.permission))


@dataclass(frozen=True)
class _RoleOnly:
    role: str
    is_authenticated: bool = True
    is_active: bool = True


def tabs_for(user) -> list[NavItem]:
    """Home first, Me last, the user's most central domains in between."""
    allowed = [i for i in items_for(user) if i.tab]
    if len(allowed) <= MAX_TABS:
        return allowed
    return allowed[: MAX_TABS - 1] + [allowed[-1]]


def init_app(app) -> None:
    """Templates get the menu and permission checks, so what is shown mirrors what is allowed."""
    from flask import request
    from flask_login import current_user

    from fieldsvc.permissions import ROLE_LABELS

    def is_active(item: NavItem) -> bool:
        endpoint = request.endpoint or ""
        if item.endpoint == "core.home":
            return endpoint == "core.home"
        return endpoint.split(".")[0] == item.endpoint.split(".")[0]

    @app.context_processor
    def _nav():
        # The real user object, looked up once: every `can()` in a template would otherwise go through the
        # current_user proxy again (measurably slow on pages that ask a dozen times).
        user = current_user._get_current_object()
        return {
            "nav_tabs": lambda: tabs_for(user),
            "nav_items": lambda: items_for(user),
            "nav_active": is_active,
            "can": lambda perm: can(user, perm),
            "P": P,
            "ROLE_LABELS": ROLE_LABELS,
        }
