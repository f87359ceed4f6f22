"""The desk pages without JavaScript: find, quote, pay, write, confirm, receipt, reverse, close the day;
bad input keeps what was typed (422), a lost race is a clear 409."""
import io
import re

from pypdf import PdfReader

from fieldsvc import clock
from fieldsvc.cardsales.models import CardSale
from fieldsvc.cardsales.writer import SimulatedWriter


def test_find_a_card_by_card_account_or_meter(world, login_en):
    account, other = world.card(), world.card()
    client = login_en("card_clerk")
    for q in (account.card_no, account.customer.account_no, account.meter.serial_no):
        response = client.get(f"/cardsales/?q={q}")
        assert response.status_code == 302 and response.location.endswith(f"/cardsales/cards/{account.id}"), q
    listed = client.get("/cardsales/?q=IC&go=0").get_data(as_text=True)
    assert account.card_no in listed and other.card_no in listed
    assert "No IC-card meter matches" in client.get("/cardsales/?q=nothing-like-this").get_data(as_text=True)


def test_sell_write_confirm_and_print(world, login_en, db):
    account = world.card()
    client = login_en("card_clerk")
    page = client.get(f"/cardsales/cards/{account.id}?amount=100").get_data(as_text=True)
    assert "38 m³" in page and "change" in page.lower()
    created = client.post(f"/cardsales/cards/{account.id}/sales", data={
        "volume_m3": "38", "expected_seq": "1", "payment_method": "cash", "amount_paid": "100"})
    assert created.status_code == 302
    sale = db.session.query(CardSale).one()
    assert (sale.status, sale.purchase_seq, str(sale.change)) == ("pending", 1, "0.82")
    assert client.get(f"/cardsales/sales/{sale.id}/receipt.pdf").status_code == 302  # not before confirmation
    SimulatedWriter.fail_next("write", "card not responding")
    client.post(f"/cardsales/sales/{sale.id}/write")
    db.session.expire_all()
    assert sale.status == "pending" and "card not responding" in client.get(f"/cardsales/sales/{sale.id}").get_data(
        as_text=True)
    assert client.post(f"/cardsales/sales/{sale.id}/write").status_code == 302
    assert client.post(f"/cardsales/sales/{sale.id}/confirm").status_code == 302
    db.session.expire_all()
    assert sale.status == "confirmed" and sale.write_attempts == 2
    pdf = client.get(f"/cardsales/sales/{sale.id}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert abs(width_mm - 80) < 0.5
    text = reader.pages[0].extract_text()
    for word in ("购气凭证", account.card_no, "第一阶梯", "99.18", "100.00", "0.82", "第 1 次"):
        assert word in text, word


def test_a_bad_payment_keeps_what_was_typed(world, login_en):
    account = world.card()
    client = login_en("card_clerk")
    response = client.post(f"/cardsales/cards/{account.id}/sales", data={
        "volume_m3": "20", "expected_seq": "1", "payment_method": "alipay", "payment_ref": ""})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Enter the transaction reference" in text and 'value="alipay" checked' in text


def test_a_lost_race_on_the_page_is_409_naming_the_clerk(world, login_en, api_en):
    account = world.card()
    other, oh = api_en("card_clerk2")
    assert other.post("/api/v1/card-sales", headers=oh, json={
        "account_id": account.id, "volume_m3": 10, "payment_method": "cash", "amount_paid": 30}).status_code == 201
    response = login_en("card_clerk").post(f"/cardsales/cards/{account.id}/sales", data={
        "volume_m3": "20", "expected_seq": "1", "payment_method": "cash", "amount_paid": "60"})
    assert response.status_code == 409
    assert "The card was just sold to by 孙小梅 — refresh." in response.get_data(as_text=True)


def test_reverse_a_pending_sale_with_a_reason_from_the_list(world, login_en, db):
    account = world.card()
    client = login_en("card_clerk")
    client.post(f"/cardsales/cards/{account.id}/sales", data={
        "volume_m3": "20", "expected_seq": "1", "payment_method": "cash", "amount_paid": "60"})
    sale = db.session.query(CardSale).one()
    missing = client.post(f"/cardsales/sales/{sale.id}/reverse", data={"reason_code": "", "reason": ""})
    assert missing.status_code == 422
    done = client.post(f"/cardsales/sales/{sale.id}/reverse", data={"reason_code": "write_failed",
                                                                  "reason": "reader broken"})
    assert done.status_code == 302
    db.session.expire_all()
    assert sale.status == "reversed" and sale.reversal_reason == "The card write failed — reader broken"


def test_close_the_day_on_the_page(world, login_en, db):
    account = world.card()
    client = login_en("card_clerk")
    client.post("/cardsales/outlet", data={"outlet_id": world.outlets[1].id})
    client.post(f"/cardsales/cards/{account.id}/sales", data={
        "volume_m3": "20", "expected_seq": "1", "payment_method": "cash", "amount_paid": "60"})
    sale = db.session.query(CardSale).one()
    assert sale.outlet_id == world.outlets[1].id
    client.post(f"/cardsales/sales/{sale.id}/write")
    client.post(f"/cardsales/sales/{sale.id}/confirm")
    days = client.get("/cardsales/days").get_data(as_text=True)
    assert "城西营业厅" in days
    bad = client.post(f"/cardsales/days/{world.outlets[1].id}/close", data={"counted_cash": "abc", "note": "typed"})
    assert bad.status_code == 422 and "typed" in bad.get_data(as_text=True)
    ok = client.post(f"/cardsales/days/{world.outlets[1].id}/close", data={"counted_cash": "50.00"})
    assert ok.status_code == 302
    page = client.get(ok.location).get_data(as_text=True)
    assert "Closed" in page and "short" in page and 'name="counted_cash"' not in page
    desk = client.get(f"/cardsales/cards/{account.id}?volume_m3=5").get_data(as_text=True)
    assert "Your day is closed" in desk


def test_desk_shows_the_cycle_position(world, login_en, api_en):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    sale = clerk.post("/api/v1/card-sales", headers=ch, json={
        "account_id": account.id, "volume_m3": 300, "payment_method": "cash", "amount_paid": 800}).json
    assert sale["purchase_seq"] == 1
    page = login_en("director").get(f"/cardsales/cards/{account.id}").get_data(as_text=True)
    assert "300 m³ bought" in page and "50 m³ left" in page
    assert clock.today().year


def test_a_reversed_receipt_with_a_long_reason_fits_one_page(world, login_en, api_en, db):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    sale = clerk.post("/api/v1/card-sales", headers=ch, json={
        "account_id": account.id, "volume_m3": 400, "payment_method": "alipay", "payment_ref": "AP123"}).json
    clerk.post(f"/api/v1/card-sales/{sale['id']}/write", headers=ch, json={})
    clerk.post(f"/api/v1/card-sales/{sale['id']}/confirm", headers=ch, json={})
    clerk.post(f"/api/v1/card-sales/{sale['id']}/reverse", headers=ch, json={"reason": "客户买错了气量" * 40})
    chief, hh = api_en("station_chief")
    assert chief.post(f"/api/v1/card-sales/{sale['id']}/reversal", headers=hh,
                      json={"decision": "approve"}).json["status"] == "reversed"
    pdf = login_en("card_clerk").get(f"/cardsales/sales/{sale['id']}/receipt.pdf")
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace(" ", "")
    assert "已冲正" in text and "第二阶梯" in text


def test_sales_show_on_the_customer_timeline(world, login_en, api_en):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    clerk.post("/api/v1/card-sales", headers=ch, json={
        "account_id": account.id, "volume_m3": 20, "payment_method": "cash", "amount_paid": 60})
    page = login_en("card_clerk").get(f"/customers/{account.customer_id}").get_data(as_text=True)
    assert "Card purchase of 20 m³, 52.20 yuan" in page and "Card issued" in page and "/cardsales/sales/" in page
    other = login_en("repair_tech").get(f"/customers/{account.customer_id}").get_data(as_text=True)
    assert "Card purchase of 20 m³" in other and "/cardsales/sales/" not in other


def test_a_double_click_on_pay_takes_one_payment(world, login_en, db):
    account = world.card()
    client = login_en("card_clerk")
    page = client.get(f"/cardsales/cards/{account.id}?volume_m3=20").get_data(as_text=True)
    client_id = re.search(r'name="client_id" value="([^"]+)"', page).group(1)
    form = {"volume_m3": "20", "expected_seq": "1", "payment_method": "cash", "amount_paid": "60",
            "client_id": client_id}
    first, second = client.post(f"/cardsales/cards/{account.id}/sales", data=form), \
        client.post(f"/cardsales/cards/{account.id}/sales", data=form)
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert db.session.query(CardSale).count() == 1
