"""The chief's review before the cycle's export: flagged readings approved (then billed) or sent back
(the stop is read again), skips that need something done, and the safety officer's tampering list."""
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fieldsvc import audit, home
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Conflict, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require
from fieldsvc.readings.models import Reading, Skip
from fieldsvc.readings.rules import SkipCode
from fieldsvc.readings.services import access, billing, workorders

NEEDS_CHIEF = (SkipCode.not_reachable, SkipCode.meter_damaged, SkipCode.bypass)


def pending_readings(actor, cycle: str | None = None, limit: int = 200) -> list[Reading]:
    require(actor, P.readings_review)
    stmt = (select(Reading).where(Reading.status == "pending")
            .options(joinedload(Reading.meter).joinedload(Meter.customer), joinedload(Reading.reader))
            .order_by(Reading.read_at))
    if cycle:
        stmt = stmt.where(Reading.cycle == cycle)
    return list(db.session.execute(stmt.limit(limit)).unique().scalars())


def get_reading(actor, reading_id: int) -> Reading:
    require(actor, P.readings_review)
    reading = db.session.get(Reading, reading_id)
    if reading is None:
        raise NotFound(_("No such reading."))
    return reading


def approve(actor, reading_id: int, note: str | None = None) -> Reading:
    """The flagged reading stands: it is billed now."""
    reading = get_reading(actor, reading_id)
    if reading.status != "pending":
        raise Conflict(_("This reading was already reviewed."))
    reading.status, reading.reviewed_by, reading.reviewed_at = "approved", actor.id, utcnow()
    reading.review_note = note or None
    db.session.flush()
    audit.record(actor, "reading.approve", "meter", reading.meter_id, reading_id=reading.id, note=note)
    if reading.kind != "start":
        billing.bill_for_reading(actor, reading)
    return reading


def send_back(actor, reading_id: int, note: str | None = None) -> Reading:
    """Not accepted: the reading no longer counts and the stop is to be read again."""
    reading = get_reading(actor, reading_id)
    if reading.status != "pending":
        raise Conflict(_("This reading was already reviewed."))
    later = db.session.execute(select(Reading.id).where(
        Reading.meter_id == reading.meter_id, Reading.read_at > reading.read_at,
        Reading.status.in_(("accepted", "pending", "approved")))).first()
    if later:
        raise Conflict(_("A later reading of this meter builds on this one: review that one first."))
    reading.status, reading.reviewed_by, reading.reviewed_at = "sent_back", actor.id, utcnow()
    reading.review_note = note or None
    db.session.flush()
    audit.record(actor, "reading.send_back", "meter", reading.meter_id, reading_id=reading.id, note=note)
    return reading


def open_skips(actor, limit: int = 200) -> list[Skip]:
    """Skips the chief acts on: unreachable or damaged meters, suspected bypass, estimates refused."""
    require(actor, P.readings_review)
    stmt = (select(Skip).where(Skip.status == "open")
            .options(joinedload(Skip.meter).joinedload(Meter.customer)).order_by(Skip.at))
    return list(db.session.execute(stmt.limit(limit)).unique().scalars())


def tampering(actor, limit: int = 200) -> list[Skip]:
    """Suspected bypass or tampering, newest first (the safety officer's list)."""
    require(actor, P.tampering_view)
    stmt = (select(Skip).where(Skip.code == SkipCode.bypass)
            .options(joinedload(Skip.meter).joinedload(Meter.customer)).order_by(Skip.at.desc()))
    return list(db.session.execute(stmt.limit(limit)).unique().scalars())


def _skip(skip_id: int) -> Skip:
    skip = db.session.get(Skip, skip_id)
    if skip is None:
        raise NotFound(_("No such skip."))
    return skip


def _open_skip(skip_id: int, code: str | None = None) -> Skip:
    """A chief's action applies to an open skip (of the given kind): anything else is a `Conflict`."""
    skip = _skip(skip_id)
    if skip.status != "open":
        raise Conflict(_("This skip was already dealt with."))
    if code is not None and skip.code != code:
        raise Conflict(_("This is not a damaged-meter skip: no replacement order can be made from it."))
    return skip


def order_replacement(actor, skip_id: int) -> Skip:
    """A damaged meter whose replacement order could not be made at the door: try again (as the chief).
    Only from an open damaged-meter skip."""
    require(actor, P.readings_review)
    skip = _open_skip(skip_id, SkipCode.meter_damaged)
    if skip.work_order_id:
        raise Conflict(_("A replacement order already exists."))
    skip.work_order_id = workorders.request_order(
        actor, workorders.REPLACEMENT, skip.customer_id,
        _("Meter %(serial)s found damaged on the reading route.", serial=skip.meter.serial_no))
    skip.needs_replacement = skip.work_order_id is None
    audit.record(actor, "reading.skip_order", "meter", skip.meter_id, skip_id=skip.id,
                 work_order_id=skip.work_order_id)
    return skip


def resolve_skip(actor, skip_id: int) -> Skip:
    """The chief marks an open skip dealt with."""
    require(actor, P.readings_review)
    skip = _open_skip(skip_id)
    skip.status, skip.resolved_by, skip.resolved_at = "resolved", actor.id, utcnow()
    audit.record(actor, "reading.skip_resolve", "meter", skip.meter_id, skip_id=skip.id)
    return skip


def cycle_summary(actor, cycle: str) -> dict:
    """Counts for the export page: readings ready, still pending."""
    require(actor, P.billing_export)
    rows = db.session.execute(select(Reading.status, func.count()).where(Reading.cycle == cycle)
                              .group_by(Reading.status)).all()
    return dict(rows)


def reading_visible(actor, reading_id: int) -> bool:
    """Photos of a reading: the chief, and the reader whose route the meter is on."""
    reading = db.session.get(Reading, reading_id)
    if reading is None:
        return False
    return can(actor, P.readings_review) or access.meter_visible(actor, reading.meter_id)


def skip_visible(actor, skip_id: int) -> bool:
    skip = db.session.get(Skip, skip_id)
    if skip is None:
        return False
    return (can(actor, P.readings_review) or (skip.code == SkipCode.bypass and can(actor, P.tampering_view))
            or access.meter_visible(actor, skip.meter_id))



def count_queries(actor) -> dict:
    """For the station chief's home page, asked with every card's figures: readings awaiting review and
    skips to deal with."""
    require(actor, P.readings_review)
    return {"pending": select(func.count(Reading.id)).where(Reading.status == "pending"),
            "open_skips": select(func.count(Skip.id)).where(Skip.status == "open")}


def counts(actor) -> dict:
    return home.figures_of(count_queries(actor))
