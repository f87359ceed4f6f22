"""A form post replayed from the phone's outbox is taken once; a changed replay is a conflict."""
import uuid

from fieldsvc.customers.models import Appliance
from fieldsvc.sync.models import FormSubmission
from tests import factories


def _customer(db):
    return factories.customer("80000001", name="离线", address="离线路1号").id


def test_same_client_id_twice_creates_once(staff, login, db):
    customer_id = _customer(db)
    client = login("station_chief")
    form = {"kind": "stove", "brand": "方太", "client_id": str(uuid.uuid4())}
    first = client.post(f"/customers/{customer_id}/appliances/new", data=form)
    second = client.post(f"/customers/{customer_id}/appliances/new", data=form)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert db.session.query(Appliance).filter_by(customer_id=customer_id).count() == 1
    assert db.session.query(FormSubmission).count() == 1


def test_same_client_id_other_content_is_a_conflict(staff, login, db):
    customer_id = _customer(db)
    client = login("station_chief")
    client_id = str(uuid.uuid4())
    client.post(f"/customers/{customer_id}/appliances/new", data={"kind": "stove", "client_id": client_id})
    other = client.post(f"/customers/{customer_id}/appliances/new", data={"kind": "water_heater", "client_id": client_id})
    assert other.status_code == 409
    assert db.session.query(Appliance).filter_by(customer_id=customer_id).count() == 1


def test_invalid_post_reserves_nothing(staff, login, db):
    customer_id = _customer(db)
    client = login("station_chief")
    client_id = str(uuid.uuid4())
    bad = client.post(f"/customers/{customer_id}/appliances/new", data={"kind": "rocket", "client_id": client_id})
    assert bad.status_code == 422
    assert db.session.query(FormSubmission).count() == 0
    good = client.post(f"/customers/{customer_id}/appliances/new", data={"kind": "stove", "client_id": client_id})
    assert good.status_code == 302  # the corrected form goes through under the same id


def test_malformed_client_id_400(staff, login, db):
    customer_id = _customer(db)
    response = login("station_chief").post(f"/customers/{customer_id}/appliances/new",
                                           data={"kind": "stove", "client_id": "not-a-uuid"})
    assert response.status_code == 400


def test_fresh_csrf_token_for_replays(staff, login):
    response = login("repair_tech").get("/sync/csrf")
    assert response.status_code == 200 and response.json["csrf_token"]


OUTBOX = {"Accept": "application/json, text/html;q=0.5"}  # what the service worker sends with a replay


def test_outbox_replay_of_a_conflict_gets_the_reason_as_json(staff, login, db):
    customer_id = _customer(db)
    client = login("station_chief")
    client_id = str(uuid.uuid4())
    client.post(f"/customers/{customer_id}/appliances/new", data={"kind": "stove", "client_id": client_id})
    other = client.post(f"/customers/{customer_id}/appliances/new", headers=OUTBOX,
                        data={"kind": "water_heater", "client_id": client_id})
    assert other.status_code == 409 and other.json["error"]


def test_outbox_replay_after_the_session_ended_is_401_not_a_login_page(staff, client, db):
    customer_id = _customer(db)
    response = client.post(f"/customers/{customer_id}/appliances/new", headers=OUTBOX,
                           data={"kind": "stove", "client_id": str(uuid.uuid4())})
    assert response.status_code == 401  # the phone keeps the form and asks for a login
    assert db.session.query(Appliance).filter_by(customer_id=customer_id).count() == 0


def test_outbox_replay_taken_is_confirmed_by_the_redirect(staff, login, db):
    customer_id = _customer(db)
    client = login("station_chief")
    form = {"kind": "stove", "client_id": str(uuid.uuid4())}
    first = client.post(f"/customers/{customer_id}/appliances/new", headers=OUTBOX, data=form)
    again = client.post(f"/customers/{customer_id}/appliances/new", headers=OUTBOX, data=form)
    assert first.status_code == again.status_code == 302 and first.location == again.location
    assert db.session.query(Appliance).filter_by(customer_id=customer_id).count() == 1
