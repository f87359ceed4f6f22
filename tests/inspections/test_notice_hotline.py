"""Issue #22 item 7: the hazard notice a customer keeps prints the company's repair hotline, as configured."""
import io

from pypdf import PdfReader

from fieldsvc.inspections.models import Inspection


def _notice_text(client, db, customer, signature_url) -> str:
    client.post(f"/inspections/new/{customer.id}", data={
        "outcome": "completed", "static_pa": "2100", "working_pa": "1980", "item_hose_aged": "hazard",
        "signature": signature_url})
    inspection = db.session.query(Inspection).one()
    response = client.get(f"/inspections/{inspection.id}/notice.pdf")
    assert response.status_code == 200
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).replace(" ", "")


def test_the_notice_prints_the_configured_hotline(app, login, customer, db, signature_url):
    app.config["REPAIR_HOTLINE"] = "0571-87654321"
    try:
        text = _notice_text(login("repair_tech"), db, customer, signature_url)
    finally:
        app.config["REPAIR_HOTLINE"] = "96777"
    assert "24小时抢修电话0571-87654321" in text.replace("\n", "")
