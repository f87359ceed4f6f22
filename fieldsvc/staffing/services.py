"""Gaps between people and their role's requirements. The director (staff.manage) sees them."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.permissions import P, require
from fieldsvc.staffing import rules

HOME_LIST = 8  # people named on the director's card; the rest are counted


def table() -> dict[str, rules.Requirement]:
    return rules.requirement_table(current_app.config.get("ROLE_REQUIREMENTS"))


def requirement(role: str) -> rules.Requirement | None:
    return table().get(role)


def _gaps(user: User, reqs: dict) -> list[rules.Gap]:
    return rules.gaps(reqs.get(user.role), user.education, user.experience_since,
                      [(q.kind, q.expires_on) for q in user.qualifications], clock.today())


def gaps_of(actor, user: User) -> list[rules.Gap]:
    require(actor, P.staff_manage)
    return _gaps(user, table())


@dataclass(frozen=True)
class Shortfall:
    user: User
    gaps: list[rules.Gap]


def shortfalls(actor) -> list[Shortfall]:
    """Every active person below their role's requirement, the most gaps first."""
    require(actor, P.staff_manage)
    reqs = table()
    users = db.session.execute(select(User).where(User.active.is_(True)).options(selectinload(User.qualifications))
                               .order_by(User.name)).scalars()
    found = [Shortfall(u, g) for u in users if (g := _gaps(u, reqs))]
    return sorted(found, key=lambda s: -len(s.gaps))


def describe(gap: rules.Gap) -> str:
    """One gap in words: what is short and what the role asks for."""
    if gap.kind in (rules.GapKind.education_unknown, rules.GapKind.education_below):
        return _("%(gap)s (needs %(level)s)", gap=label(gap.kind, "requirement_gap"),
                 level=label(gap.required, "education"))
    if gap.kind == rules.GapKind.experience_short:
        return _("%(gap)s: %(have)d of %(need)d years", gap=label(gap.kind, "requirement_gap"),
                 have=gap.actual, need=gap.required)
    if gap.kind == rules.GapKind.experience_unknown:
        return _("%(gap)s (needs %(need)d years)", gap=label(gap.kind, "requirement_gap"), need=gap.required)
    return _("%(gap)s: %(kind)s", gap=label(gap.kind, "requirement_gap"), kind=label(gap.required, "qualification"))


def home_figures(actor) -> dict | None:
    """The director's card: how many people fall short, by kind, and the first few by name."""
    found = shortfalls(actor)
    if not found:
        return None
    by_kind: dict[str, int] = {}
    for s in found:
        for g in s.gaps:
            by_kind[g.kind.value] = by_kind.get(g.kind.value, 0) + 1
    return {"people": len(found), "by_kind": by_kind,
            "named": [(s.user.id, s.user.name, s.user.role, len(s.gaps)) for s in found[:HOME_LIST]]}


def check_profile(data: dict) -> None:
    """The staff form's education and start of experience: a known level, a start not in the future."""
    education = data.get("education")
    if education is not None and education not in rules.EDUCATION_ORDER:
        raise Invalid({"education": [_("Choose a level from the list.")]})
    since = data.get("experience_since")
    if since is not None and since > clock.today():
        raise Invalid({"experience_since": [_("The start of experience cannot be in the future.")]})
