"""What other domains call before they store a pressure reading: the instrument it was taken with exists,
reads pressure, is in service and not past its calibration due date (`check_reading`, `reading_errors`), and
how a record names it (`label_of`)."""
from datetime import date

from flask_babel import gettext as _

from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.instruments import rules
from fieldsvc.instruments.models import Instrument

UNUSABLE_MESSAGES = {
    "lost": lambda i: _("Instrument %(serial)s is reported lost.", serial=i.serial_no),
    "out_of_service": lambda i: _("Instrument %(serial)s is out of service.", serial=i.serial_no),
    "not_calibrated": lambda i: _("Instrument %(serial)s has no calibration on record.", serial=i.serial_no),
    "overdue": lambda i: _("Instrument %(serial)s was due for calibration on %(due)s: it may not be used.",
                           serial=i.serial_no, due=i.calibration_due.isoformat()),
}


def check_reading(instrument_id, day: date, kinds: tuple[str, ...] = rules.PRESSURE_KINDS,
                  field: str = "instrument_id") -> Instrument:
    """The instrument a reading on `day` was taken with: it exists, reads that kind of figure, is in service
    and not past its calibration due date. Otherwise Invalid naming `field`."""
    instrument = db.session.get(Instrument, instrument_id) if isinstance(instrument_id, int) else None
    if instrument is None:
        raise Invalid({field: [_("No such instrument.")]})
    if instrument.kind not in kinds:
        raise Invalid({field: [_("This instrument does not read pressure.")]})
    reason = rules.unusable_reason(instrument.status, instrument.calibration_due, day)
    if reason:
        raise Invalid({field: [UNUSABLE_MESSAGES[reason](instrument)]})
    return instrument


def reading_errors(results: dict, day: date, pressure_fields: tuple[str, ...]) -> dict:
    """For a job's results (dispatch): the instrument named is checked when a pressure was recorded, and
    dropped when none was (the form preselects one). Returns the errors by field ({} when fine)."""
    if results.get("instrument_id") is None:
        return {}
    if not any(results.get(f) is not None for f in pressure_fields):
        results.pop("instrument_id")
        return {}
    try:
        check_reading(results["instrument_id"], day)
    except Invalid as exc:
        return exc.errors
    return {}


def label_of(instrument_id) -> str:
    """"Manometer SN-001 (calibrated until 2027-03-14)" for a job sheet or a record page; "" when unknown."""
    from fieldsvc.labels import label
    instrument = db.session.get(Instrument, instrument_id) if isinstance(instrument_id, int) else None
    if instrument is None:
        return ""
    text = f"{label(instrument.kind, 'instrument_kind')} {instrument.serial_no}"
    if instrument.calibration_due:
        text += " " + _("(calibrated until %(due)s)", due=instrument.calibration_due.isoformat())
    return text
