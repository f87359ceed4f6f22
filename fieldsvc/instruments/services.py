"""The instrument register: list and read (holders their own, managers all), register, change, assign a
holder, record checks (history rows; a passed calibration moves the dates forward, damage or loss takes the
instrument out of use), the holder's home card, and the check other domains call before they store a
pressure reading (in fieldsvc/instruments/pressure.py)."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import selectinload

from fieldsvc import audit, clock
from fieldsvc.auth.models import User
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.extensions import db
from fieldsvc.instruments import rules
from fieldsvc.instruments.models import Instrument, InstrumentCheck
from fieldsvc.permissions import WHO_MAY, P, can, require

ENTITY = "instrument"
EDITABLE = ("kind", "model", "note")


def warn_days() -> int:
    return int(current_app.config.get("INSTRUMENT_WARN_DAYS", rules.WARN_DAYS))


def calibration_months(kind: str) -> int:
    months = current_app.config.get("INSTRUMENT_CALIBRATION_MONTHS") or rules.CALIBRATION_MONTHS
    return int(months.get(kind, rules.CALIBRATION_MONTHS[kind]))


def due_state(instrument: Instrument, today: date | None = None) -> str:
    return rules.due_state(instrument.calibration_due, today or clock.today(), warn_days())


def holder_roles() -> list[str]:
    """Who may hold an instrument: whoever may see the register (field crews, chiefs, the safety office)."""
    return sorted(str(r) for r in WHO_MAY[P.instruments_view])


def normal_serial(serial: str) -> str:
    return "".join((serial or "").split()).upper()


# --- reading ----------------------------------------------------------------------------------------

def sees_all(actor) -> bool:
    return can(actor, P.instruments_manage)


def list_instruments(actor, q: str | None = None, kind: str | None = None, page: int = 1,
                     per_page: int = 50) -> tuple[list[Instrument], int]:
    """The register, due date first; a holder sees only the instruments they hold."""
    require(actor, P.instruments_view)
    stmt = select(Instrument)
    if not sees_all(actor):
        stmt = stmt.where(Instrument.holder_id == actor.id)
    if q and q.strip():
        term = q.strip()
        holders = select(User.id).where(User.name.contains(term, autoescape=True))
        stmt = stmt.where(or_(Instrument.serial_no.contains(normal_serial(term), autoescape=True),
                              Instrument.model.contains(term, autoescape=True), Instrument.holder_id.in_(holders)))
    if kind:
        stmt = stmt.where(Instrument.kind == kind)
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    stmt = stmt.options(selectinload(Instrument.checks))  # the API lists each one's history
    rows = db.session.execute(stmt.order_by(Instrument.calibration_due.is_(None), Instrument.calibration_due,
                                            Instrument.serial_no).limit(per_page).offset((page - 1) * per_page))
    return list(rows.unique().scalars()), total


def get_instrument(actor, instrument_id: int) -> Instrument:
    """An instrument the actor may see (another holder's: 404, its existence is not told)."""
    require(actor, P.instruments_view)
    instrument = db.session.get(Instrument, instrument_id)
    if instrument is None or (not sees_all(actor) and instrument.holder_id != actor.id):
        raise NotFound(_("No such instrument."))
    return instrument


def held_by(user_id: int, kinds: tuple[str, ...] | None = None) -> list[Instrument]:
    """The instruments a person holds (any status), soonest due first."""
    stmt = select(Instrument).where(Instrument.holder_id == user_id)
    if kinds:
        stmt = stmt.where(Instrument.kind.in_(kinds))
    return list(db.session.execute(stmt.order_by(Instrument.calibration_due, Instrument.id)).scalars())


def reading_choices(actor, kinds: tuple[str, ...] = rules.PRESSURE_KINDS) -> tuple[list[Instrument], int | None]:
    """What a phone form offers for a pressure reading: the actor's instruments of those kinds, and the one
    to preselect (the first usable today; none when none is)."""
    mine = held_by(actor.id, kinds) if getattr(actor, "id", None) else []
    today = clock.today()
    usable = [i for i in mine if rules.unusable_reason(i.status, i.calibration_due, today) is None]
    return mine, usable[0].id if usable else None


@dataclass(frozen=True)
class HolderCard:
    held: int
    due_soon: int
    overdue: int
    out_of_use: int
    next_due: date | None


def holder_figures(actor) -> dict:
    """Asked with every home card's figures: how many of the actor's instruments need attention (out of use,
    never calibrated, or due within the warning days). The card reads the instruments only when some do."""
    if not can(actor, P.instruments_view):
        return {"attention": literal(0)}
    limit = clock.today() + timedelta(days=warn_days())
    return {"attention": select(func.count(Instrument.id)).where(
        Instrument.holder_id == actor.id,
        or_(Instrument.status != "in_service", Instrument.calibration_due.is_(None),
            Instrument.calibration_due <= limit))}


def holder_home_card(actor, figures: dict) -> HolderCard | None:
    return holder_card(actor) if figures["attention"] else None


def holder_card(actor) -> HolderCard | None:
    """The holder's home card (figures only): none when every instrument they hold is in calibration for more
    than the warning days."""
    if not can(actor, P.instruments_view):
        return None
    mine = held_by(actor.id)
    if not mine:
        return None
    today = clock.today()
    states = [due_state(i, today) for i in mine if i.status == "in_service"]
    card = HolderCard(held=len(mine), due_soon=states.count("due_soon"),
                      overdue=states.count("overdue") + states.count("not_calibrated"),
                      out_of_use=sum(1 for i in mine if i.status != "in_service"),
                      next_due=min((i.calibration_due for i in mine if i.status == "in_service"
                                    and i.calibration_due), default=None))
    return card if card.due_soon or card.overdue or card.out_of_use else None


def history(actor, instrument: Instrument) -> list[InstrumentCheck]:
    require(actor, P.instruments_view)
    return list(instrument.checks)


# --- writing: the register --------------------------------------------------------------------------

def _holder(user_id) -> User | None:
    if not user_id:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.role not in holder_roles():
        raise Invalid({"holder_id": [_("Choose an active member of staff who may hold an instrument.")]})
    return user


def _check_serial(serial: str, exclude_id: int | None = None) -> None:
    stmt = select(Instrument.id).where(Instrument.serial_no == serial)
    if exclude_id:
        stmt = stmt.where(Instrument.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Invalid({"serial_no": [_("An instrument with this serial number is already registered.")]})


def _check_dates(calibrated_on: date | None, calibration_due: date | None) -> None:
    if calibrated_on is not None and calibrated_on > clock.today():
        raise Invalid({"calibrated_on": [_("The date cannot be in the future.")]})
    if rules.dates_problem(calibrated_on, calibration_due):
        raise Invalid({"calibration_due": [_("The due date must come after the calibration date.")]})


def create_instrument(actor, data: dict) -> Instrument:
    """data: kind, serial_no, model, calibrated_on, calibration_due (default: the kind's interval from the
    calibration date), holder_id, note."""
    require(actor, P.instruments_manage)
    serial = normal_serial(data.get("serial_no"))
    if not serial:
        raise Invalid({"serial_no": [_("This field is required.")]})
    _check_serial(serial)
    calibrated_on, due = data.get("calibrated_on"), data.get("calibration_due")
    if calibrated_on and not due:
        due = rules.next_due(calibrated_on, calibration_months(data["kind"]))
    _check_dates(calibrated_on, due)
    holder = _holder(data.get("holder_id"))
    instrument = Instrument(kind=data["kind"], serial_no=serial, model=data.get("model"), note=data.get("note"),
                            holder_id=holder.id if holder else None, calibrated_on=calibrated_on,
                            calibration_due=due, status="in_service")
    db.session.add(instrument)
    db.session.flush()
    audit.record(actor, "instrument.create", ENTITY, instrument.id, kind=instrument.kind, serial_no=serial,
                 holder_id=instrument.holder_id, calibrated_on=calibrated_on, calibration_due=due)
    return instrument


def update_instrument(actor, instrument: Instrument, data: dict, lock: int | None = None) -> Instrument:
    """Change the description or the holder. The dates and the status move only through checks."""
    require(actor, P.instruments_manage)
    if lock is not None and lock != instrument.version:
        raise Conflict()
    changes = {}
    if data.get("serial_no") and normal_serial(data["serial_no"]) != instrument.serial_no:
        serial = normal_serial(data["serial_no"])
        _check_serial(serial, instrument.id)
        changes["serial_no"] = [instrument.serial_no, serial]
        instrument.serial_no = serial
    for key in EDITABLE:
        if key in data and data[key] != getattr(instrument, key) and (data[key] is not None or key != "kind"):
            changes[key] = [getattr(instrument, key), data[key]]
            setattr(instrument, key, data[key])
    if "holder_id" in data and (data["holder_id"] or None) != instrument.holder_id:
        holder = _holder(data["holder_id"])
        changes["holder_id"] = [instrument.holder_id, holder.id if holder else None]
        instrument.holder_id = holder.id if holder else None
    if changes:
        db.session.flush()
        audit.record(actor, "instrument.update", ENTITY, instrument.id, changes=changes)
    return instrument


# --- writing: checks --------------------------------------------------------------------------------

def require_check(actor, instrument: Instrument, kind: str | None = None) -> None:
    """Managers record any check; a holder records bump tests (and damage or loss) of their own instrument."""
    require(actor, P.instruments_view)
    if can(actor, P.instruments_manage):
        return
    require(actor, P.instruments_check)
    if instrument.holder_id != actor.id:
        raise NotFound(_("No such instrument."))
    if kind == "calibration":
        raise NotAllowed(_("A calibration is recorded by the safety office or the station chief."))


CHECK_MESSAGES = {
    "bump_test_kind": lambda: _("A bump test is for instruments with a gas sensor."),
    "lost": lambda: _("This instrument is lost: only a calibration (after it was found) can be recorded."),
}


def record_check(actor, instrument: Instrument, data: dict) -> InstrumentCheck:
    """data: kind, on, ok, note, and for a calibration calibration_due (default: the kind's interval).
    The check is a row that stays; the instrument's dates and status follow it (rules.status_after_check)."""
    require_check(actor, instrument, data.get("kind"))
    kind, on = data["kind"], data.get("on") or clock.today()
    ok = bool(data.get("ok")) if kind in ("calibration", "bump_test") else False
    if kind in ("calibration", "bump_test") and data.get("ok") is None:
        raise Invalid({"ok": [_("Say whether the instrument passed.")]})
    if on > clock.today():
        raise Invalid({"on": [_("The date cannot be in the future.")]})
    problem = rules.check_problem(instrument.kind, instrument.status, kind)
    if problem:
        raise Invalid({"kind": [CHECK_MESSAGES[problem]()]})
    if not ok and not (data.get("note") or "").strip():
        raise Invalid({"note": [_("Say what happened.")]})
    new_on = new_due = None
    if kind == "calibration" and ok:
        new_on = on
        new_due = data.get("calibration_due") or rules.next_due(on, calibration_months(instrument.kind))
        _check_dates(new_on, new_due)
    check = InstrumentCheck(instrument_id=instrument.id, kind=kind, checked_on=on, ok=ok, note=data.get("note"),
                            calibrated_on=new_on, calibration_due=new_due, previous_due=instrument.calibration_due,
                            status_after=rules.status_after_check(instrument.status, kind, ok), by_id=actor.id)
    db.session.add(check)
    before = instrument.status
    instrument.status = check.status_after
    if new_due is not None:
        instrument.calibrated_on, instrument.calibration_due = new_on, new_due
    db.session.flush()
    db.session.expire(instrument, ["checks"])
    audit.record(actor, "instrument.check", ENTITY, instrument.id, check_id=check.id, kind=kind, on=on, ok=ok,
                 note=check.note, status=[before, instrument.status], calibration_due=new_due,
                 previous_due=check.previous_due)
    return check


def get_check(actor, check_id: int) -> InstrumentCheck:
    """One check row, seen through its instrument's visibility."""
    check = db.session.get(InstrumentCheck, check_id)
    if check is None:
        raise NotFound(_("No such instrument."))
    get_instrument(actor, check.instrument_id)
    return check
