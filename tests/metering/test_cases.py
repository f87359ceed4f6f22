"""Complaint verification: order → removal (final reading, spare installed) → lab within 3 days →
in-service test → back-billing estimate from the billed volume; the customer's timeline shows it."""
from datetime import timedelta
from decimal import Decimal

import pytest

from fieldsvc.customers.models import Meter
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.metering import rules, schemas
from fieldsvc.metering.models import LabCase
from fieldsvc.metering.services import cases
from tests import factories
from tests.metering.conftest import payload
from tests.metering.test_pages import EN


@pytest.fixture
def complaint(lab, db):
    """A meter_verification order for the NG customer, assigned to metering_tech; a spare in stock."""
    from fieldsvc.dispatch.services import orders
    order = orders.create_order(lab.staff["station_chief"], {
        "type": "meter_verification", "customer_id": lab.ng_customer.id, "description": "用户投诉表走得快",
        "assignee_id": lab.staff["metering_tech"].id})
    factories.meter("SPARE-01", commit=False)
    db.session.commit()
    lab.order = order
    return lab


def _removal(lab, **change):
    data = {"meter_id": lab.ng.id, "removed_on": lab.today, "final_reading": Decimal("1523.4"),
            "spare_serial": "SPARE-01", "spare_start_reading": Decimal("0")}
    data.update(change)
    return data


def _test_data(lab, errors):
    body = payload(lab.ng, lab.bench, errors=errors, verification="in_service")
    body.pop("meter_id")
    return schemas.MeterTestCorrectionIn().load(body)


def test_the_whole_chain(complaint, en_request, db):
    lab, tech = complaint, complaint.staff["metering_tech"]
    assert [o.id for o in cases.orders_to_start(tech)] == [lab.order.id]
    order = cases.order_for_case(tech, lab.order.id)
    case = cases.open_case(tech, order, _removal(lab))
    db.session.commit()
    assert cases.orders_to_start(tech) == []
    assert lab.ng.status == "removed" and lab.ng.customer_id is None
    spare = db.session.query(Meter).filter_by(serial_no="SPARE-01").one()
    assert spare.customer_id == lab.ng_customer.id and spare.status == "installed"
    assert case.due_on == lab.today + timedelta(days=3)
    assert lab.ng.installations[-1].final_reading == Decimal("1523.4")

    with pytest.raises(Conflict):  # not yet received in the lab
        cases.record_case_test(tech, case, _test_data(lab, ("7.00", "3.50", "2.50")))
    cases.receive(tech, case)
    assert cases.on_time(case) is True
    test = cases.record_case_test(tech, case, _test_data(lab, ("7.00", "3.50", "2.50")))
    assert not test.ok and test.verification == "in_service" and test.customer_id == lab.ng_customer.id
    assert case.status == "tested" and case.mean_error_pct == Decimal("4.33")
    # No bills on record for this meter: the volume comes from the billing system, typed in.
    assert case.back_billing_m3 is None
    cases.enter_billed_volume(tech, case, Decimal("1200"), Decimal("3360.00"))
    assert case.billed_source == "entered"
    assert case.back_billing_m3 == rules.back_billing_volume(Decimal("1200"), Decimal("4.33")) == Decimal("49.80")
    assert case.back_billing_amount == Decimal("139.44")  # 49.80 m³ at 2.80 yuan/m³
    assert case.billed_from == rules.months_before(lab.today, 12)
    with pytest.raises(Conflict):
        cases.record_case_test(tech, case, _test_data(lab, ("0", "0", "0")))


def test_estimate_from_the_readings_bills(complaint, en_request, db):
    lab, tech = complaint, complaint.staff["metering_tech"]
    case = cases.open_case(tech, cases.order_for_case(tech, lab.order.id), _removal(lab))
    cases.receive(tech, case)
    for n, (days_ago, volume, amount) in enumerate([(400, "500", "1305.00"),  # before the 12 months: left out
                                                    (200, "600", "1566.00"), (20, "400", "1044.00")]):
        _bill(db, lab, lab.today - timedelta(days=days_ago), n, Decimal(volume), Decimal(amount))
    test = cases.record_case_test(tech, case, _test_data(lab, ("-7.00", "-3.50", "1.50")))
    assert not test.ok
    assert case.billed_source == "readings" and case.billed_m3 == Decimal("1000")
    assert case.back_billing_m3 == rules.back_billing_volume(Decimal("1000"), Decimal("-3.00")) == Decimal("-30.93")
    assert case.back_billing_amount == Decimal("-80.73")  # at the 2.61 yuan/m³ billed


def _bill(db, lab, day, n, volume, amount):
    """A bill of the readings domain for the removed meter, its period ending on `day`."""
    from datetime import datetime, time

    from fieldsvc import clock
    from fieldsvc.readings.models import Bill, Reading, Tariff
    from fieldsvc.readings.services.billing import seed_tariffs
    if not db.session.query(Tariff).count():
        seed_tariffs()
    reading = Reading(meter_id=lab.ng.id, customer_id=lab.ng_customer.id, cycle=day.strftime("%Y-%m"),
                      read_at=datetime.combine(day, time(10), clock.zone()), read_on=day, value=Decimal(1000 + n),
                      kind="actual", consumption_m3=volume)
    db.session.add(reading)
    db.session.flush()
    tariff = db.session.query(Tariff).filter_by(category="residential").first()
    db.session.add(Bill(customer_id=lab.ng_customer.id, meter_id=lab.ng.id, reading_id=reading.id,
                        tariff_id=tariff.id, category="residential", cycle=reading.cycle,
                        period_start=day - timedelta(days=60), period_end=day, volume_m3=volume, amount=amount,
                        issued_on=day, due_on=day + timedelta(days=15), status="open"))
    db.session.flush()


def test_removal_refusals(complaint, en_request, db):
    lab, tech = complaint, complaint.staff["metering_tech"]
    order = cases.order_for_case(tech, lab.order.id)
    with pytest.raises(Invalid) as exc:
        cases.open_case(tech, order, _removal(lab, spare_serial="NOPE"))
    assert "spare_serial" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        cases.open_case(tech, order, _removal(lab, meter_id=lab.lpg.id))  # another customer's meter
    assert "meter_id" in exc.value.errors
    with pytest.raises(Invalid):
        cases.open_case(tech, order, _removal(lab, removed_on=lab.today + timedelta(days=1)))
    with pytest.raises(NotFound):  # another technician's order does not exist for them
        cases.order_for_case(lab.staff["metering_tech2"], lab.order.id)


def test_late_handover_is_tracked(complaint, en_request, db):
    lab, tech = complaint, complaint.staff["metering_tech"]
    case = cases.open_case(tech, cases.order_for_case(tech, lab.order.id),
                           _removal(lab, removed_on=lab.today - timedelta(days=5)))
    assert cases.overdue(case)
    cases.receive(tech, case)
    assert cases.on_time(case) is False and not cases.overdue(case)


def test_the_chain_through_the_pages_and_the_timeline(complaint, login, db):
    lab = complaint
    tech = login("metering_tech")
    listing = tech.get("/metering/cases", headers=EN).get_data(as_text=True)
    assert f"/metering/cases/new?work_order_id={lab.order.id}" in listing
    bad = tech.post(f"/metering/cases/new?work_order_id={lab.order.id}",
                    data={"meter_id": lab.ng.id, "removed_on": lab.today.isoformat(), "final_reading": "abc",
                          "spare_serial": "SPARE-01"}, headers=EN)
    assert bad.status_code == 422 and 'value="abc"' in bad.get_data(as_text=True)
    done = tech.post(f"/metering/cases/new?work_order_id={lab.order.id}",
                     data={"meter_id": lab.ng.id, "removed_on": lab.today.isoformat(), "final_reading": "1523.4",
                           "spare_serial": "SPARE-01", "spare_start_reading": "0"})
    assert done.status_code == 302
    case = db.session.query(LabCase).one()
    assert tech.post(f"/metering/cases/{case.id}/receive").status_code == 302
    form = tech.get(f"/metering/cases/{case.id}/test", headers=EN).get_data(as_text=True)
    assert 'name="verification" value="in_service"' in form
    from tests.metering.test_pages import test_form
    data = test_form(lab, serial="LAB-N0001", errors=("7.00", "3.50", "2.50"))
    assert tech.post(f"/metering/cases/{case.id}/test", data=data).status_code == 302
    page = tech.get(f"/metering/cases/{case.id}", headers=EN).get_data(as_text=True)
    assert "Back-billing estimate" in page and "+4.33" in page
    assert tech.post(f"/metering/cases/{case.id}/billed", data={"billed_m3": "-3"}, headers=EN).status_code == 422
    assert tech.post(f"/metering/cases/{case.id}/billed", data={"billed_m3": "1200"}).status_code == 302
    page = tech.get(f"/metering/cases/{case.id}", headers=EN).get_data(as_text=True)
    assert "+49.80 m³" in page and "Entered on the form" in page
    timeline = login("station_chief").get(f"/customers/{lab.ng_customer.id}", headers=EN).get_data(as_text=True)
    for expected in ("Meter removed for a complaint verification", "Removed meter received in the lab",
                     "Meter test: fail", "Back-billing estimate", "SPARE-01"):
        assert expected in timeline, expected
    assert login("station_chief").get(f"/metering/cases/{case.id}").status_code == 200
    assert login("meter_reader").get(f"/metering/cases/{case.id}").status_code == 403
