"""RULES.md §1: an expired licence blocks the work it licenses — a technician whose service certificate has
run out cannot be given a job, on the page, in the API, or through the service."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from fieldsvc import clock
from fieldsvc.auth.models import Qualification
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import Invalid


def _expire(user, db, days=1):
    _set_expiry(user, db, clock.today() - timedelta(days=days))


def _set_expiry(user, db, day):
    db.session.execute(update(Qualification).where(Qualification.user_id == user.id).values(expires_on=day))
    db.session.commit()


def test_an_expired_certificate_cannot_be_assigned(staff, make_order, db, en_request):
    order = make_order("repair")
    _expire(staff["repair_tech2"], db)
    with pytest.raises(Invalid) as refused:
        orders.assign(staff["station_chief"], order.id, staff["repair_tech2"].id, order.version)
    assert "licence" in refused.value.errors["assignee_id"][0]
    db.session.rollback()
    assert orders.assign(staff["station_chief"], order.id, staff["repair_tech"].id, order.version).assignee_id \
        == staff["repair_tech"].id  # a colleague with a valid certificate takes it


def test_a_licence_valid_today_is_enough(staff, make_order, db, en_request):
    order = make_order("repair")
    _set_expiry(staff["repair_tech2"], db, clock.today())
    assert orders.assign(staff["station_chief"], order.id, staff["repair_tech2"].id, order.version).status \
        == "assigned"


def test_the_api_answers_422_naming_the_assignee(staff, make_order, db, api):
    order = make_order("repair")
    _expire(staff["pipe_fitter2"], db)
    client, headers = api("station_chief")
    response = client.post(f"/api/v1/work-orders/{order.id}/assign", headers=headers,
                           json={"assignee_id": staff["pipe_fitter2"].id, "version": order.version})
    assert response.status_code == 422 and "assignee_id" in response.json["errors"]
