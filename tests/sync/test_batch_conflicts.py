"""A conflict inside a batch item is that item's 409 (API.md: a duplicate unique key is a conflict), not a 422
invalid field, and a unique key taken by a race fails that item only, never the whole batch."""
import uuid

import pytest

from fieldsvc.customers.models import District
from fieldsvc.readings import schemas as reading_schemas
from fieldsvc.readings.models import Route
from fieldsvc.readings.services import routes
from fieldsvc.schemas import ClientIdMixin
from fieldsvc.sync import batch

EN = {"Accept-Language": "en"}


class RouteSyncIn(ClientIdMixin, reading_schemas.RouteIn):
    pass


@pytest.fixture
def route_kind(monkeypatch):
    """Route creation as a batch kind: a real service whose unique key (the name) raises Duplicate."""
    monkeypatch.setitem(batch.KINDS, "route", batch.Kind(RouteSyncIn, routes.create_route, "route"))


def _item(name, district_id, client_id=None):
    return {"client_id": client_id or str(uuid.uuid4()), "kind": "route",
            "data": {"name": name, "district_id": district_id}}


def test_a_duplicate_in_a_batch_is_a_409_conflict_not_a_422(staff, db, api, route_kind):
    district_id = db.session.query(District).first().id
    client, headers = api("station_chief")
    items = [_item("城东1册", district_id), _item("城东1册", district_id), _item("城东2册", district_id),
             _item("", district_id)]
    results = client.post("/api/v1/sync", json={"items": items}, headers={**headers, **EN}).json["results"]
    assert [r["status"] for r in results] == [201, 409, 201, 422]
    assert results[1]["error"] == "A route with this name already exists." and "errors" not in results[1]
    assert "name" in results[3]["errors"]  # a bad field is still a 422 naming it
    assert sorted(r.name for r in db.session.query(Route)) == ["城东1册", "城东2册"]


def test_a_unique_key_race_fails_only_that_item(staff, db, api, route_kind, monkeypatch):
    """The service's check passes (another phone inserted meanwhile); the unique index refuses the insert."""
    monkeypatch.setattr(routes, "_check_name_free", lambda *args, **kwargs: None)
    district_id = db.session.query(District).first().id
    client, headers = api("station_chief")
    items = [_item("城东1册", district_id), _item("城东1册", district_id), _item("城东2册", district_id)]
    response = client.post("/api/v1/sync", json={"items": items}, headers={**headers, **EN})
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["status"] for r in results] == [201, 409, 201]
    assert "already stored" in results[1]["error"]
    assert sorted(r.name for r in db.session.query(Route)) == ["城东1册", "城东2册"]
    again = client.post("/api/v1/sync", json={"items": [items[0]]}, headers=headers).json["results"]
    assert again[0]["status"] == 200  # the first one was kept, and a resend creates nothing
