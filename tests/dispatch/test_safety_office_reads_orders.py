"""The safety office reads the work orders that fed an HSE record (the inbox links to them), read only; any
other order stays hidden (404), and roles without HSE management still may not open orders (403)."""
import pytest

from fieldsvc.dispatch.services import orders
from fieldsvc.errors import NotAllowed, NotFound
from fieldsvc.hse.services import observations

EN = {"Accept-Language": "en"}


@pytest.fixture
def fed(staff, db, make_order, customers):
    """An earlier repair at the same address, then an emergency whose leak fed the HSE inbox, and an unrelated
    emergency that fed nothing."""
    earlier = make_order("repair", description="更早的维修：灶具点不着")
    order = make_order("emergency", description="厨房燃气味")
    observations.from_field(staff["repair_tech"], description="Leak at the riser", work_order_id=order.id)
    other = make_order("emergency", customer=customers[1], description="楼道燃气味")
    db.session.commit()
    return order, other, earlier


def test_the_service_lets_the_safety_office_read_only_orders_fed_to_hse(staff, fed, en_request):
    order, other, _earlier = fed
    officer = staff["safety_officer"]
    assert orders.get_order(officer, order.id).id == order.id
    with pytest.raises(NotFound):
        orders.get_order(officer, other.id)
    assert orders.previous_orders(officer, order) == []  # the address's other jobs are not HSE's
    assert orders.available_moves(officer, order) == []
    with pytest.raises(NotAllowed):
        orders.transition(officer, order.id, "cancelled", order.version, note="not mine to cancel")
    with pytest.raises(NotAllowed):
        orders.get_order(staff["card_clerk"], order.id)  # no orders, no HSE management: refused as before
    with pytest.raises(NotFound):
        orders.get_order(staff["pipe_fitter"], order.id)  # a technician: still only their own


def test_the_safety_officer_opens_the_linked_order_page_read_only(staff, fed, login):
    order, other, earlier = fed
    officer = login("safety_officer")
    page = officer.get(f"/dispatch/orders/{order.id}", headers=EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "厨房燃气味" in html
    assert "/transition" not in html and "/assign" not in html  # no moves offered
    assert "更早的维修" not in html  # nor the address's other orders
    assert 'href="/hse/observations"' in html  # back to the inbox, not to the technician's jobs
    assert officer.get(f"/dispatch/orders/{other.id}").status_code == 404
    assert officer.get(f"/dispatch/orders/{earlier.id}").status_code == 404
    assert officer.post(f"/dispatch/orders/{order.id}/transition",
                        data={"to": "cancelled", "version": str(order.version), "note": "x"}).status_code == 403
    assert officer.get("/dispatch/").status_code == 403  # the board stays the dispatchers'
    chief = login("station_chief").get(f"/dispatch/orders/{order.id}", headers=EN).get_data(as_text=True)
    assert "更早的维修" in chief  # the chief still sees the history at the address


def test_the_api_follows_the_same_rule(staff, fed, api, db):
    order, other, _earlier = fed
    client, headers = api("safety_officer")
    assert client.get(f"/api/v1/work-orders/{order.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/work-orders/{other.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/work-orders", headers=headers).status_code == 403
    moved = client.post(f"/api/v1/work-orders/{order.id}/transition", headers=headers,
                        json={"to": "cancelled", "version": order.version, "note": "x"})
    assert moved.status_code == 403
    db.session.expire_all()
    assert orders.get_order(staff["station_chief"], order.id).status == order.status
    clerk, clerk_headers = api("card_clerk")
    assert clerk.get(f"/api/v1/work-orders/{order.id}", headers=clerk_headers).status_code == 403
