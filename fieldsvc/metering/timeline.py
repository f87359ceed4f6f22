"""The metering office's part of a customer's timeline: meter tests and their documents, and the chain
of a complaint verification (removal and spare, hand-over to the lab, test, back-billing estimate)."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from fieldsvc.customers.models import Meter
from fieldsvc.customers.services import TimelineEvent, TimelineSource, add_timeline_source
from fieldsvc.customers.services.timeline import data_of, line
from fieldsvc.labels import label
from fieldsvc.metering.formatting import plain, signed
from fieldsvc.metering.models import LabCase, MeterCheck, MeteringDocument, MeterTest


def _case_url(row) -> str:
    return url_for("metering.case", case_id=row.ref)


def _opened(customer_id):
    spare = aliased(Meter)
    return (select(*line(at=LabCase.created_at, ref=LabCase.id, s=(Meter.serial_no, spare.serial_no),
                         n=(LabCase.final_reading, LabCase.spare_start_reading)))
            .select_from(LabCase).join(Meter, Meter.id == LabCase.meter_id).outerjoin(spare, spare.id == LabCase.spare_meter_id)
            .where(LabCase.customer_id == customer_id))


def _opened_events(row):
    yield TimelineEvent(at=row.at, kind="lab_case.open", url=_case_url(row),
                        title=_("Meter removed for a complaint verification"),
                        detail=_("%(old)s final reading %(final)s m³ · spare %(new)s start reading %(start)s m³",
                                 old=row.s1, final=plain(row.n1), new=row.s2 or "—", start=plain(row.n2)))


def _received(customer_id):
    return select(*line(at=LabCase.handed_over_at, day=LabCase.due_on, ref=LabCase.id)).where(
        LabCase.customer_id == customer_id, LabCase.handed_over_at.is_not(None))


def _received_events(row):
    yield TimelineEvent(at=row.at, kind="lab_case.receive", url=_case_url(row),
                        title=_("Removed meter received in the lab"), detail=_("due %(date)s", date=row.day.isoformat()))


def _estimated(customer_id):
    return (select(*line(at=LabCase.updated_at, ref=LabCase.id,
                         n=(LabCase.back_billing_m3, LabCase.billed_m3, MeterTest.mean_error_pct)))
            .select_from(LabCase).outerjoin(MeterTest, MeterTest.id == LabCase.test_id)
            .where(LabCase.customer_id == customer_id, LabCase.back_billing_m3.is_not(None)))


def _estimated_events(row):
    yield TimelineEvent(at=row.at, kind="lab_case.estimate", url=_case_url(row), title=_("Back-billing estimate"),
                        detail=_("ΔV %(dv)s m³ on %(billed)s m³ billed, E %(e)s %%",
                                 dv=signed(row.n1), billed=plain(row.n2), e=signed(row.n3)))


def _tests(customer_id):
    return (select(*line(at=MeterTest.tested_at, ref=MeterTest.id, flag=MeterTest.ok,
                         s=(Meter.serial_no, MeteringDocument.number), n=(MeterTest.mean_error_pct,)))
            .select_from(MeterTest).join(Meter, Meter.id == MeterTest.meter_id)
            .outerjoin(MeteringDocument, MeteringDocument.test_id == MeterTest.id)
            .where(MeterTest.customer_id == customer_id))


def _test_events(row):
    detail = _("%(serial)s · mean error %(e)s %%", serial=row.s1, e=signed(row.n1))
    if row.s2 is not None:
        detail += f" · {row.s2}"
    yield TimelineEvent(at=row.at, kind="meter_test", url=url_for("metering.test", test_id=row.ref),
                        title=_("Meter test: pass") if row.flag else _("Meter test: fail"), detail=detail)


def _checks(customer_id):
    return (select(*line(at=MeterCheck.visited_at, ref=MeterCheck.id,
                         s=(MeterCheck.status, Meter.serial_no), data=MeterCheck.findings))
            .select_from(MeterCheck).join(Meter, Meter.id == MeterCheck.meter_id)
            .where(MeterCheck.customer_id == customer_id, MeterCheck.visited_at.is_not(None)))


def _check_events(row):
    findings = ", ".join(label(f, "check_finding") for f in data_of(row) or [])
    yield TimelineEvent(at=row.at, kind="meter_check", url=url_for("metering.check_visit", check_id=row.ref),
                        title=_("Weekly meter check: %(outcome)s", outcome=label(row.s1, "check_status")),
                        detail=" · ".join(x for x in (row.s2, findings) if x))


SOURCES = [
    TimelineSource("lab_case.open", _opened, _opened_events),
    TimelineSource("lab_case.receive", _received, _received_events),
    TimelineSource("lab_case.estimate", _estimated, _estimated_events),
    TimelineSource("meter_test", _tests, _test_events),
    TimelineSource("meter_check", _checks, _check_events),
]


def register(app) -> None:
    add_timeline_source(app, *SOURCES)
