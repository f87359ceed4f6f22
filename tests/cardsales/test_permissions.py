"""Who may use the desk: card clerks sell; the director (and chiefs, the statistician) read only;
reversal approval is the station chief's (and the director's); everybody else gets 403."""
import pytest

from fieldsvc.permissions import P, Role, can
from tests.cardsales.conftest import complete, sell

SELLERS = {"card_clerk"}
READERS = {"card_clerk", "director", "station_chief", "statistician"}
APPROVERS = {"station_chief", "director"}
OTHERS = sorted({r.value for r in Role} - READERS)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_grants(role, staff):
    user = staff[role]
    assert can(user, P.card_sell) is (role in SELLERS)
    assert can(user, P.card_manage) is (role in SELLERS)
    assert can(user, P.card_sales_view) is (role in READERS)
    assert can(user, P.card_reversal_approve) is (role in APPROVERS)


@pytest.mark.parametrize("role", sorted(READERS))
def test_readers_open_the_desk(world, login_en, role):
    account = world.card()
    client = login_en(role)
    assert client.get("/cardsales/").status_code == 200
    page = client.get(f"/cardsales/cards/{account.id}?volume_m3=20")
    assert page.status_code == 200
    # only the clerk gets the payment form
    assert (f'action="/cardsales/cards/{account.id}/sales"' in page.get_data(as_text=True)) is (role in SELLERS)


@pytest.mark.parametrize("role", OTHERS)
def test_others_are_refused(world, login_en, api_en, role):
    account = world.card()
    client = login_en(role)
    for url in ("/cardsales/", f"/cardsales/cards/{account.id}", "/cardsales/days"):
        assert client.get(url).status_code == 403, url
    api, headers = api_en(role)
    quote = api.post("/api/v1/card-sales/quote", headers=headers, json={"customer_id": account.customer_id,
                                                                       "volume_m3": 1})
    assert quote.status_code == 403
    assert api.get("/api/v1/card-sales", headers=headers).status_code == 403


@pytest.mark.parametrize("role", sorted(READERS - SELLERS))
def test_read_only_roles_cannot_sell(world, login_en, api_en, role):
    account = world.card()
    page = login_en(role).post(f"/cardsales/cards/{account.id}/sales",
                               data={"volume_m3": "20", "payment_method": "cash", "amount_paid": "60"})
    assert page.status_code == 403
    api, headers = api_en(role)
    assert sell(api, headers, account, 20, paid=60).status_code == 403
    assert api.post("/api/v1/card-days", headers=headers, json={"counted_cash": 0}).status_code == 403
    assert login_en(role).post(f"/cardsales/cards/{account.id}/reissue",
                               data={"new_card_no": "12345678", "reason": "x"}).status_code == 403


@pytest.mark.parametrize("role, allowed", [("station_chief", True), ("director", True), ("card_clerk", False),
                                           ("statistician", False), ("repair_tech", False)])
def test_reversal_approval(world, api_en, login_en, role, allowed):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    sale = complete(clerk, ch, sell(clerk, ch, account, 20, paid=60).json["id"])
    clerk.post(f"/api/v1/card-sales/{sale['id']}/reverse", headers=ch, json={"reason": "wrong card"})
    response = login_en(role).post(f"/cardsales/sales/{sale['id']}/decision", data={"decision": "approve"})
    if allowed:
        assert response.status_code == 302
        assert clerk.get(f"/api/v1/card-sales/{sale['id']}", headers=ch).json["status"] == "reversed"
    else:
        assert response.status_code == 403
