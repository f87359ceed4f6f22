"""The checklist in force: versioned rows, seeded from checklist_data on first use."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from fieldsvc import audit
from fieldsvc.extensions import db
from fieldsvc.inspections import checklist_data, rules
from fieldsvc.inspections.models import ChecklistItem, ChecklistVersion


def _active() -> ChecklistVersion | None:
    return db.session.execute(select(ChecklistVersion).where(ChecklistVersion.active.is_(True))
                              .options(selectinload(ChecklistVersion.items))
                              .order_by(ChecklistVersion.number.desc()).limit(1)).scalar_one_or_none()


def ensure_default() -> ChecklistVersion:
    """The active version; the first one (RULES.md §6 items) is written when there is none yet.

    Two phones starting at once on an empty database: the unique version number lets one win and the
    other reads the winner's rows.
    """
    version = _active()
    if version is not None:
        return version
    nested = db.session.begin_nested()
    try:
        version = ChecklistVersion(number=1, title="入户安检检查表 (RULES §6)", active=True)
        db.session.add(version)
        db.session.flush()
        for row in checklist_data.items():
            db.session.add(ChecklistItem(checklist_id=version.id, **row))
        db.session.flush()
        nested.commit()
    except IntegrityError:
        nested.rollback()
        return _active()
    audit.record(None, "inspection_checklist.create", "inspection_checklist", version.id, number=1,
                 items=len(checklist_data.DEFAULT_ITEMS))
    db.session.expire(version, ["items"])
    return version


def items_for(version: ChecklistVersion, category: str, scope: str = rules.Scope.household) -> list[ChecklistItem]:
    """The items that apply to a customer of this category, in walking order (a pipe fitter's check:
    only the sections of rules.PIPE_SECTIONS)."""
    return [i for i in version.items if i.applies_to(category) and rules.item_in_scope(i.section, scope)]


def by_code(version: ChecklistVersion) -> dict[str, ChecklistItem]:
    return {i.code: i for i in version.items}
