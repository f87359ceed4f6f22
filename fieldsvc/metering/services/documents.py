"""Issuing certificates (检定证书) and result notices (检定结果通知书), their numbers, PDFs and status.

An issued document is frozen: its PDF bytes and their SHA-256 are stored at issue and served as they
are. A correction is a new test whose document marks the old one superseded.
"""
import hashlib

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from fieldsvc import audit, clock, pdf
from fieldsvc.auth import services as auth_services
from fieldsvc.auth.models import User
from fieldsvc.customers import services as customer_services
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import DocumentCounter, MeteringDocument, MeterTest
from fieldsvc.metering.services import equipment as equipment_services
from fieldsvc.metering.services.meter_tests import correction_of, require_licence
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, Role, can, require
from fieldsvc.security import sign

TEMPLATE = "pdf/meter_document.html"


# --- numbers --------------------------------------------------------------------------------------

def next_number(kind: str, year: int) -> str:
    """Take the next number of the year. The counter row is locked until the transaction ends, and is
    rolled back with it, so numbers run 1, 2, 3… without gaps or duplicates."""
    prefix = rules.NUMBER_PREFIX[rules.DocumentKind(kind)]
    stmt = (select(DocumentCounter).where(DocumentCounter.prefix == prefix, DocumentCounter.year == year)
            .with_for_update().execution_options(populate_existing=True))
    counter = db.session.execute(stmt).scalar_one_or_none()
    if counter is None:
        try:
            with db.session.begin_nested():  # first number of the year: two issuers may race to create it
                counter = DocumentCounter(prefix=prefix, year=year, last=0)
                db.session.add(counter)
                db.session.flush()
        except IntegrityError:
            counter = db.session.execute(stmt).scalar_one()
    counter.last += 1
    db.session.flush()
    return rules.document_number(kind, year, counter.last)


# --- URLs -----------------------------------------------------------------------------------------

VERIFY_SIGNATURE = "metering document verify"  # security.sign() label of the QR link's `s=`


def verify_signature(number: str) -> str:
    """The `s=` of a document's QR link: numbers run in sequence, so only a holder of the paper (or of its
    PDF) sees the meter and the masked customer on the public page; a guessed number shows validity only."""
    return sign(VERIFY_SIGNATURE, number.upper())


def verify_url(number: str) -> str:
    """The public verification page, absolute and signed (it goes into the QR code on paper).

    PUBLIC_BASE_URL (e.g. https://gas.example.cn) wins; else the host of the current request.
    """
    path = url_for("metering_public.verify", number=number, s=verify_signature(number))
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + path
    if has_request_context():
        return url_for("metering_public.verify", number=number, s=verify_signature(number), _external=True)
    return path


def pdf_url(number: str) -> str:
    return f"/api/v1/documents/{number}.pdf"


# --- checker and issue ----------------------------------------------------------------------------

def _checker_refusal(user: User | None, tester_id: int) -> str | None:
    """The one rule of who may check a test (核验员): an active metering technician other than the tester.
    Why `user` may not, or None. (A valid licence on the day is required too: `require_licence`.)"""
    if user is None or not user.active or user.role != Role.metering_tech:
        return _("The checker must be an active metering technician.")
    if user.id == tester_id:
        return _("The checker must be another person than the tester.")
    return None


def _valid_checker(user: User | None, test: MeterTest, on, field: str = "checker_id") -> User:
    refusal = _checker_refusal(user, test.tester_id)
    if refusal:
        raise Invalid({field: [refusal]})
    require_licence(user, on, field)
    return user


def checker_options(actor, tester_id: int) -> list[tuple[int, str]]:
    """(id, name) of whom an issuer may name as the checker of tests by `tester_id` (the rule `issue`
    applies; the licence is checked on the day of issue). Empty for an actor who does not issue."""
    if not can(actor, P.documents_issue):
        return []
    return [(u.id, u.name) for u in auth_services.list_users(actor, role=Role.metering_tech, active_only=True)
            if _checker_refusal(u, tester_id) is None]


def may_check(actor, test: MeterTest) -> bool:
    """Whether the page offers `actor` to confirm `test` as its checker (what `check_test` accepts, the
    licence apart: an expired one is named when the actor tries)."""
    return (can(actor, P.meter_tests_check) and test.document is None and test.checker_id is None
            and _checker_refusal(actor, test.tester_id) is None)


def check_test(actor, test: MeterTest) -> MeterTest:
    """The checker (核验员) confirms the test record: another metering technician with a valid licence."""
    require(actor, P.meter_tests_check)
    if test.document is not None:
        raise Conflict(_("The document of this test is already issued."))
    if test.checker_id is not None:
        raise Conflict(_("This test was already checked."))
    _valid_checker(actor, test, clock.today(), "_schema")
    test.checker_id, test.checked_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "meter_test.check", "meter_test", test.id)
    return test


def _ensure_checker(test: MeterTest, checker_id: int | None, today) -> None:
    if test.checker_id is not None:
        if checker_id is not None and checker_id != test.checker_id:
            raise Invalid({"checker_id": [_("This test was checked by %(name)s.", name=test.checker.name)]})
        return
    if checker_id is None:
        raise Invalid({"checker_id": [_("A checker is needed: another metering technician than the tester.")]})
    checker = _valid_checker(db.session.get(User, checker_id), test, today)
    test.checker_id, test.checked_at = checker.id, utcnow()


def issue(actor, test: MeterTest, checker_id: int | None = None) -> MeteringDocument:
    """The metering head approves and issues: a certificate when the test passed, else a result notice."""
    require(actor, P.documents_issue)
    if test.document is not None:
        raise Conflict(_("Document %(number)s was already issued for this test.", number=test.document.number))
    newer = correction_of(test)
    if newer is not None:
        raise Conflict(_("This test was corrected by test %(id)s: issue that one.", id=newer.id))
    today, now = clock.today(), utcnow()
    require_licence(actor, today)
    _ensure_checker(test, checker_id, today)
    kind = rules.document_kind(test.ok)
    valid_until = rules.certificate_valid_until(test.size, test.gas, test.tested_on) \
        if kind == rules.DocumentKind.certificate else None
    test.approver_id, test.approved_at = actor.id, now
    document = MeteringDocument(number=next_number(kind, today.year), kind=kind.value, test=test, issued_on=today,
                                issued_at=now, issued_by_id=actor.id, valid_until=valid_until)
    with db.session.no_autoflush:  # the document is complete (PDF, hash) only after rendering
        content = render(document)
    document.pdf, document.pdf_size = content, len(content)
    document.sha256 = hashlib.sha256(content).hexdigest()
    db.session.add(document)
    db.session.flush()
    _supersede_previous(actor, test, document, now)
    _mark_first_verification(actor, test, kind)
    audit.record(actor, "document.issue", "meter_test", test.id, number=document.number, kind=document.kind,
                 sha256=document.sha256, checker_id=test.checker_id, valid_until=valid_until)
    return document


def _supersede_previous(actor, test: MeterTest, document: MeteringDocument, now) -> None:
    previous = test.corrects.document if test.corrects is not None else None
    if previous is not None and previous.superseded_by_id is None:
        previous.superseded_by_id, previous.superseded_at = document.id, now
        audit.record(actor, "document.supersede", "meter_test", previous.test_id, number=previous.number,
                     superseded_by=document.number)


def _mark_first_verification(actor, test: MeterTest, kind) -> None:
    """A passed initial verification starts the meter's service life (RULES §2)."""
    meter = test.meter
    if kind == rules.DocumentKind.certificate and test.verification == rules.Verification.initial \
            and meter.first_verified_on is None:
        customer_services.update_meter(actor, meter, {"first_verified_on": test.tested_on})


# --- reading documents ----------------------------------------------------------------------------

def get_document(actor, number: str, with_pdf: bool = False) -> MeteringDocument:
    """An issued document; `with_pdf` loads its PDF bytes in the same query (they are deferred otherwise)."""
    require(actor, P.documents_view)
    document = find(number, with_pdf)
    if document is None:
        raise NotFound(_("No such document."))
    return document


def find(number: str, with_pdf: bool = False) -> MeteringDocument | None:
    stmt = select(MeteringDocument).where(MeteringDocument.number == number.upper())
    if with_pdf:
        stmt = stmt.options(undefer(MeteringDocument.pdf))
    return db.session.execute(stmt).scalar_one_or_none()


def public_document(number: str) -> MeteringDocument:
    """The public verification page's lookup: no login by design (anyone holding the paper may check it)."""
    document = find(number) if rules_number_shape(number) else None
    if document is None:
        raise NotFound(_("No document with this number was issued."))
    return document


def rules_number_shape(number: str) -> bool:
    parts = number.upper().split("-")
    return len(parts) == 3 and parts[0] in ("JD", "TZ") and parts[1].isdigit() and parts[2].isdigit()


def status(document: MeteringDocument) -> rules.DocumentStatus:
    return rules.document_status(document.valid_until, document.superseded_by_id is not None, clock.today())


def pdf_bytes(actor, number: str) -> bytes:
    return get_document(actor, number, with_pdf=True).pdf


# --- the PDF --------------------------------------------------------------------------------------

def render(document: MeteringDocument) -> bytes:
    test = document.test
    return pdf.render_pdf(TEMPLATE, doc=document, test=test, meter=test.meter, customer=test.customer,
                          equipment=test.equipment, leak_equipment=test.leak_equipment,
                          flow_cert=equipment_services.certificate_at(test.equipment, test.tested_at),
                          leak_cert=equipment_services.certificate_at(test.leak_equipment, test.tested_at)
                          if test.leak_equipment else None,
                          points=test.points, qmin=rules.qmin(test.size),
                          qmax=rules.qmax(test.size),
                          failures=[failure_zh(code) for code in test.failures],
                          qr=pdf.qr_data_uri(verify_url(document.number)), verify_url=verify_url(document.number),
                          regulation=rules.REGULATION, org=org_name())


ORG_NAME = "城市燃气有限公司客户服务部计量室"


def org_name() -> str:
    """The laboratory's name printed on documents (config METERING_ORG_NAME)."""
    return current_app.config.get("METERING_ORG_NAME", ORG_NAME)


def failure_zh(code: str) -> str:
    """The failing items as the Chinese notice lists them."""
    if code.startswith("point_"):
        return f"第 {code.removeprefix('point_')} 个流量点示值误差超出最大允许误差"
    return {"leak_test": "密封性试验不合格", "pressure_loss": "压力损失超出限值"}.get(code, code)
