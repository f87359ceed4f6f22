"""The bottom tab bar and the home tiles, built from the user's permissions (mirrors the services)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldsvc import registry
from fieldsvc.permissions import P, can


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    icon: str
    permission: P | None = None  # None: every logged-in user
    order: int = 50  # position in the menu: Home 0 … Me 100
    tab: bool = True  # in the bottom bar (at most 5 fit); else only a home tile


HOME = NavItem("core.home", _l("Home"), "home", order=0)
MAX_TABS = 5


def add(app, item: NavItem) -> None:
    """Domains add their menu entries from their init_app."""
    items = registry.of(app).nav
    items.append(item)
    items.sort(key=lambda i: i.order)


def items_for(user) -> list[NavItem]:
    reg = registry.of()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return [i for i in reg.nav if i.permission is None]
    menu = reg.menu_cache.get(user.role)
    if menu is None:  # the menu depends on the role alone (permissions are granted per role): once per role
        menu = reg.menu_cache[user.role] = tuple(
            i for i in reg.nav if i.permission is None or can(_RoleOnly(user.role), i.permission))
    return list(menu)


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
    add(app, HOME)
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
