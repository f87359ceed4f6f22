"""Reading an issued document: its PDF bytes stay deferred unless asked for, then come in the same query."""
from sqlalchemy import event, inspect

from fieldsvc.auth.models import User
from fieldsvc.metering.services import documents
from tests.metering.conftest import payload


def _issued_number(lab, api) -> str:
    tech, tech_headers = api("metering_tech")
    test_id = tech.post("/api/v1/meter-tests", json=payload(lab.stock, lab.bench), headers=tech_headers).json["id"]
    head, headers = api("metering_head")
    return head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech2"].id},
                     headers=headers).json["number"]


def test_pdf_is_loaded_with_the_document_only_when_asked(lab, api, db):
    number = _issued_number(lab, api)
    head_id = lab.staff["metering_head"].id
    db.session.expunge_all()  # nothing from the issue left in the session
    assert "pdf" in inspect(documents.get_document(db.session.get(User, head_id), number)).unloaded

    db.session.expunge_all()
    head = db.session.get(User, head_id)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        document = documents.get_document(head, number, with_pdf=True)
        content = document.pdf
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert content.startswith(b"%PDF") and len(content) == document.pdf_size
    assert len([s for s in statements if "metering_documents" in s]) == 1
