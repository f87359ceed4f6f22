"""Incidents: linked to emergency orders only, notifications and steps, the analysis, corrective actions as
HSE nonconformities (origin incident), the state table, and the report PDF with the timeline."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from fieldsvc import clock
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.hse.models import Nonconformity
from fieldsvc.management.services import incident_report, incidents
from fieldsvc.models import utcnow


def _new(staff, order=None, **changes):
    data = {"title": "幸福小区 3栋 燃气泄漏", "kind": "gas_leak", "severity": "general",
            "occurred_at": utcnow() - timedelta(hours=2), "location": "幸福小区 3栋 2单元",
            "description": "用户报燃气味，抢修人员到场发现灶前软管破裂。", "injured": 0, "deaths": 0,
            "work_order_id": order.id if order else None, **changes}
    return incidents.create_incident(staff["station_chief"], data)


def test_an_incident_links_only_existing_emergency_orders(staff, emergency, db):
    repair = emergency("repair")
    with pytest.raises(Invalid) as exc:
        _new(staff, repair)
    assert "work_order_id" in exc.value.errors
    with pytest.raises(Invalid):
        _new(staff, work_order_id=999999)
    order = emergency()
    incident = _new(staff, order)
    db.session.commit()
    assert incident.number.startswith("SJ") and [o.work_order_id for o in incident.orders] == [order.id]
    assert incident.district_id == order.district_id
    # An order belongs to one incident.
    with pytest.raises(Invalid):
        _new(staff, order)
    second = emergency()
    incidents.link_order(staff["safety_officer"], incident, second.id)
    assert [o.work_order_id for o in incident.orders] == [order.id, second.id]


def test_only_incident_managers_record_and_no_future_times(staff, emergency, db):
    with pytest.raises(NotAllowed):
        incidents.create_incident(staff["repair_tech"], {"title": "x"})
    with pytest.raises(Invalid) as exc:
        _new(staff, occurred_at=utcnow() + timedelta(hours=1))
    assert "occurred_at" in exc.value.errors


def test_analysis_raises_corrective_actions_as_nonconformities(staff, emergency, db):
    incident = _new(staff, emergency())
    with pytest.raises(Invalid):  # actions come after the causes
        incidents.add_action(staff["safety_officer"], incident, {"description": "更换老化软管"})
    incidents.record_analysis(staff["safety_officer"], incident, {
        "causes": "软管超期使用老化开裂", "lessons": "入户安检须核查软管使用年限", "responsibility": "用户未按期更换；安检漏查"})
    first = incidents.add_action(staff["safety_officer"], incident, {"description": "排查同批次软管"})
    second = incidents.add_action(staff["safety_officer"], incident, {"kind": "preventive",
                                                                     "description": "安检清单增加软管年限项"})
    db.session.commit()
    ncs = db.session.query(Nonconformity).order_by(Nonconformity.id).all()
    assert [nc.id for nc in ncs] == [first.nonconformity_id, second.nonconformity_id]
    assert {nc.origin for nc in ncs} == {"incident"}
    assert ncs[0].source_entity == incidents.ACTION_ENTITY and ncs[0].source_id == first.id
    assert incident.number in ncs[0].title and "软管超期使用老化开裂" in ncs[0].description


def test_incident_state_table_with_its_guards(staff, emergency, db):
    incident = _new(staff, emergency())
    with pytest.raises(Conflict):
        incidents.transition(staff["director"], incident, "closed")
    with pytest.raises(Invalid) as exc:
        incidents.transition(staff["director"], incident, "analysed")
    assert set(exc.value.errors) == {"causes", "lessons", "responsibility"}
    incidents.record_analysis(staff["director"], incident, {"causes": "c", "lessons": "l", "responsibility": "r"})
    incidents.transition(staff["director"], incident, "analysed")
    with pytest.raises(Invalid) as exc:
        incidents.transition(staff["director"], incident, "closed")
    assert "no_action_reason" in exc.value.errors
    incidents.transition(staff["director"], incident, "closed", no_action_reason="第三方原因，已移交")
    assert incident.status == "closed" and incident.closed_by == staff["director"].id
    with pytest.raises(Conflict):
        incidents.add_step(staff["director"], incident, {"at": utcnow(), "text": "late"})


def test_the_report_pdf_carries_the_timeline_in_time_order(staff, emergency, db, app):
    order = emergency(assignee="repair_tech")  # created, assigned, accepted, en route, on site
    start = utcnow() - timedelta(minutes=60)
    for i, event in enumerate(order.events):  # spread the order's history over the last hour
        event.at = start + timedelta(minutes=10 * i)
    incident = _new(staff, order, occurred_at=start - timedelta(minutes=5))
    incidents.add_step(staff["station_chief"], incident, {"at": start + timedelta(minutes=35),
                                                          "text": "关闭单元总阀，疏散住户"})
    incidents.add_notification(staff["station_chief"], incident, {
        "party": "公司调度值班长", "notified_at": start + timedelta(minutes=15), "channel": "phone"})
    db.session.commit()
    moments = incident_report.timeline(staff["safety_officer"], incident)  # the safety officer cannot open orders
    assert [m.at for m in moments] == sorted(m.at for m in moments)
    assert [m.source for m in moments] == ["incident", "order", "order", "notification", "order", "order", "step",
                                           "order"]

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        incident_report.report_pdf(staff["director"], incident))).pages)
    assert incident.number in text
    assert "公司调度值班长" in text and "关闭单元总阀" in text
    assert f"#{order.id}" in text
    assert text.index("公司调度值班长") < text.index("关闭单元总阀")  # time order, not section order


def test_prefill_from_the_order(staff, emergency, db):
    order = emergency()
    values = incidents.prefill_from_order(staff["station_chief"], order.id)
    assert values["work_order_id"] == order.id and values["location"] == order.address
    assert values["occurred_at"] == order.created_at.astimezone(clock.zone()).strftime("%Y-%m-%dT%H:%M")
    assert [o.id for o in incidents.unlinked_emergencies(staff["station_chief"])] == [order.id]
    _new(staff, order)
    assert incidents.unlinked_emergencies(staff["station_chief"]) == []
