"""The metering office's part of a customer's timeline: meter tests and their documents, and the chain
of a complaint verification (removal and spare, hand-over to the lab, test, back-billing estimate)."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc.customers.services import TimelineEvent, add_timeline_source
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.metering.formatting import plain, signed
from fieldsvc.metering.models import LabCase, MeterCheck, MeterTest


def _case_events(case: LabCase) -> list[TimelineEvent]:
    url = url_for("metering.case", case_id=case.id)
    events = [TimelineEvent(at=case.created_at, kind="lab_case.open", url=url,
                            title=_("Meter removed for a complaint verification"),
                            detail=_("%(old)s final reading %(final)s m³ · spare %(new)s start reading %(start)s m³",
                                     old=case.meter.serial_no, final=plain(case.final_reading),
                                     new=case.spare_meter.serial_no if case.spare_meter else "—",
                                     start=plain(case.spare_start_reading)))]
    if case.handed_over_at:
        events.append(TimelineEvent(at=case.handed_over_at, kind="lab_case.receive", url=url,
                                    title=_("Removed meter received in the lab"),
                                    detail=_("due %(date)s", date=case.due_on.isoformat())))
    if case.back_billing_m3 is not None:
        events.append(TimelineEvent(at=case.updated_at, kind="lab_case.estimate", url=url,
                                    title=_("Back-billing estimate"),
                                    detail=_("ΔV %(dv)s m³ on %(billed)s m³ billed, E %(e)s %%",
                                             dv=signed(case.back_billing_m3), billed=plain(case.billed_m3),
                                             e=signed(case.test.mean_error_pct))))
    return events


def _test_event(test: MeterTest) -> TimelineEvent:
    document = test.document
    detail = _("%(serial)s · mean error %(e)s %%", serial=test.meter.serial_no, e=signed(test.mean_error_pct))
    if document is not None:
        detail += f" · {document.number}"
    return TimelineEvent(at=test.tested_at, kind="meter_test", url=url_for("metering.test", test_id=test.id),
                         title=_("Meter test: pass") if test.ok else _("Meter test: fail"), detail=detail)


def _check_event(check: MeterCheck) -> TimelineEvent:
    findings = ", ".join(label(f, "check_finding") for f in check.findings)
    return TimelineEvent(at=check.visited_at, kind="meter_check", url=url_for("metering.check_visit", check_id=check.id),
                         title=_("Weekly meter check: %(outcome)s", outcome=label(check.status, "check_status")),
                         detail=" · ".join(x for x in (check.meter.serial_no, findings) if x))


def metering_events(customer) -> list[TimelineEvent]:
    cases = db.session.execute(select(LabCase).where(LabCase.customer_id == customer.id)).scalars()
    tests = db.session.execute(select(MeterTest).where(MeterTest.customer_id == customer.id)).scalars()
    visits = db.session.execute(select(MeterCheck).where(MeterCheck.customer_id == customer.id,
                                                         MeterCheck.visited_at.is_not(None))).scalars()
    events = [e for case in cases for e in _case_events(case)]
    events.extend(_test_event(t) for t in tests)
    events.extend(_check_event(c) for c in visits)
    return events


def register(app) -> None:
    add_timeline_source(app, metering_events)
