"""Field findings feed HSE: from_field puts a hazard found on a job in the safety officer's inbox, linked
to the order or inspection, and the safety officer raises a nonconformity from it in one step."""
import pytest

from fieldsvc.audit import AuditEntry
from fieldsvc.dispatch.services.steps import new_order
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.hse.models import HseObservation, Nonconformity
from fieldsvc.hse.services import observations
from fieldsvc.inspections.services import recording
from tests.inspections.conftest import make_customer, signature_data_url


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


@pytest.fixture
def customer(staff, db):
    return make_customer(db, "61000501", appliances=[("stove", 730)])


@pytest.fixture
def grade_a_visit(staff, customer, db, en_request):
    """A grade A leak found at a household inspection, the supply shut off: its observation is open."""
    inspection = recording.record(staff["repair_tech"], {
        "customer_id": customer.id, "outcome": "completed", "supply_shut_off": True,
        "signature": signature_data_url(), "items": [{"code": "leak_detected", "ok": False, "note": "表前阀漏气"}]})
    db.session.commit()
    return inspection


@pytest.fixture
def emergency(staff, customer, db):
    order = new_order(staff["station_chief"], {"type": "emergency", "customer_id": customer.id,
                                               "description": "厨房燃气味"})
    db.session.commit()
    return order


def test_from_field_is_an_open_hazard_report_by_the_actor(staff, db, emergency, en_request):
    tech = staff["repair_tech"]
    observation = observations.from_field(tech, description="  Leak at the riser joint ", location="Kitchen",
                                          activity="Emergency repair", work_order_id=emergency.id)
    assert (observation.kind, observation.status, observation.reported_by, observation.work_order_id,
            observation.inspection_id) == ("hazard", "open", tech.id, emergency.id, None)
    assert (observation.description, observation.location, observation.activity) == (
        "Leak at the riser joint", "Kitchen", "Emergency repair")
    entry = db.session.query(AuditEntry).filter_by(action="hse_observation.from_field").one()
    assert (entry.entity_id, entry.data["work_order_id"]) == (observation.id, emergency.id)
    # The reporter sees it among their own reports; the safety office sees it in the inbox.
    assert observations.list_observations(tech)[0] == [observation]
    assert observations.list_observations(staff["safety_officer"])[0] == [observation]


def test_from_field_refuses_an_empty_text_and_does_not_report_twice(staff, db, emergency, en_request):
    with pytest.raises(Invalid) as exc:
        observations.from_field(staff["repair_tech"], description="  ", work_order_id=emergency.id)
    assert set(exc.value.errors) == {"description"}
    first = observations.from_field(staff["repair_tech"], description="Leak", work_order_id=emergency.id,
                                    location="x" * 300)
    again = observations.from_field(staff["repair_tech"], description="Leak", work_order_id=emergency.id)
    other = observations.from_field(staff["repair_tech"], description="Second leak", work_order_id=emergency.id)
    assert again is first and other is not first and len(first.location) == 200
    assert db.session.query(HseObservation).count() == 2


@pytest.mark.parametrize("link,entity", [("inspection", "inspection"), ("order", "work_order"), (None, "hse_observation")])
def test_one_step_nonconformity_carries_text_and_source(staff, db, grade_a_visit, emergency, en_request, link, entity):
    officer = staff["safety_officer"]
    if link == "inspection":
        observation = db.session.query(HseObservation).filter_by(inspection_id=grade_a_visit.id).one()
        source_id = grade_a_visit.id
    elif link == "order":
        observation = observations.from_field(staff["repair_tech"], description="Leak at the meter",
                                              location="1-2-301", work_order_id=emergency.id)
        source_id = emergency.id
    else:
        observation = observations.report(staff["meter_reader"], {"kind": "hazard", "description": "Loose riser",
                                                                  "location": "Building 3"})
        source_id = observation.id
    nc = observations.raise_nonconformity(officer, observation.id)
    assert (nc.origin, nc.source_entity, nc.source_id, nc.status, nc.raised_by) == (
        "field_hazard", entity, source_id, "draft", officer.id)
    assert nc.number and nc.title.rstrip("…") in observation.description and len(nc.title) <= 120
    assert observation.description in nc.description
    if observation.location:
        assert observation.location in nc.description
    assert (observation.status, observation.nonconformity_id, observation.reviewed_by) == ("registered", nc.id,
                                                                                           officer.id)
    assert db.session.query(AuditEntry).filter_by(action="hse_observation.nonconformity",
                                                  entity_id=observation.id).count() == 1
    with pytest.raises(Conflict):  # reviewed once
        observations.raise_nonconformity(officer, observation.id)


def test_a_second_report_of_the_same_inspection_joins_its_open_nonconformity(staff, db, grade_a_visit, en_request):
    officer = staff["safety_officer"]
    first = db.session.query(HseObservation).one()
    second = observations.from_field(staff["safety_officer"], description="Second look: the valve still seeps",
                                     inspection_id=grade_a_visit.id)
    nc = observations.raise_nonconformity(officer, first.id)
    assert observations.raise_nonconformity(officer, second.id) is nc
    assert db.session.query(Nonconformity).count() == 1 and second.nonconformity_id == nc.id


def test_only_the_safety_office_raises_it(staff, db, grade_a_visit, en_request):
    observation = db.session.query(HseObservation).one()
    with pytest.raises(NotAllowed):
        observations.raise_nonconformity(staff["repair_tech"], observation.id)  # the reporter
    assert observation.status == "open" and db.session.query(Nonconformity).count() == 0


# --- pages ---------------------------------------------------------------------------------------------

EN = {"Accept-Language": "en"}


def test_inbox_links_the_field_record_and_raises_in_one_step(staff, db, login, grade_a_visit, emergency):
    with_order = observations.from_field(staff["repair_tech"], description="Leak found at the emergency",
                                         work_order_id=emergency.id)
    db.session.commit()
    officer = login("safety_officer")
    inbox = officer.get("/hse/observations", headers=EN).get_data(as_text=True)
    assert f'href="/inspections/{grade_a_visit.id}"' in inbox
    # The officer may read the orders that fed HSE (read only: tests/dispatch/test_safety_office_reads_orders.py)
    assert f'href="/dispatch/orders/{emergency.id}"' in inbox and f"Work order #{emergency.id}" in inbox
    assert officer.get(f"/dispatch/orders/{emergency.id}").status_code == 200
    assert login("card_clerk").get(f"/dispatch/orders/{emergency.id}").status_code == 403  # HSE readers only
    director_inbox = login("director").get("/hse/observations", headers=EN).get_data(as_text=True)
    assert f'href="/dispatch/orders/{emergency.id}"' in director_inbox

    observation = db.session.query(HseObservation).filter_by(inspection_id=grade_a_visit.id).one()
    page = officer.get(f"/hse/observations/{observation.id}", headers=EN).get_data(as_text=True)
    assert f'action="/hse/observations/{observation.id}/nonconformity"' in page
    assert login("repair_tech").post(f"/hse/observations/{observation.id}/nonconformity").status_code == 403

    response = officer.post(f"/hse/observations/{observation.id}/nonconformity", headers=EN)
    nc = db.session.query(Nonconformity).one()
    assert response.status_code == 302 and response.location.endswith(f"/hse/nonconformities/{nc.id}")
    record = officer.get(response.location, headers=EN).get_data(as_text=True)
    assert nc.number in record and "表前阀漏气" in record
    assert f'href="/inspections/{grade_a_visit.id}"' in record  # the source, one tap away
    assert db.session.get(HseObservation, observation.id).status == "registered"
    shown = officer.get(f"/hse/observations/{observation.id}", headers=EN).get_data(as_text=True)
    assert f'href="/hse/nonconformities/{nc.id}"' in shown and "/nonconformity\"" not in shown

    again = officer.post(f"/hse/observations/{observation.id}/nonconformity", headers=EN)
    assert again.status_code == 302 and again.location.endswith(f"/hse/observations/{observation.id}")
    assert db.session.query(Nonconformity).count() == 1
    assert with_order.status == "open"
