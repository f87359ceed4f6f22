"""The public verification page: anyone holding a certificate or notice checks it (no login).

Document numbers run in sequence, so anyone can try them: a bare number shows only whether that document
is valid and its dates. The meter and the masked customer are shown when the link carries the signature
printed in the document's QR code (`s=`), i.e. to whoever holds the paper or its PDF."""
from flask import current_app, render_template, request

from fieldsvc.extensions import limiter
from fieldsvc.metering.services import documents
from fieldsvc.metering.views import public_bp
from fieldsvc.security import signature_ok

DEFAULT_LIMIT = "30 per minute"


def _limit() -> str:
    return current_app.config.get("METERING_VERIFY_RATE_LIMIT", DEFAULT_LIMIT)


def mask_name(name: str | None) -> str:
    """王小明 → 王**: enough to recognise one's own document, not to learn a stranger's name."""
    if not name:
        return ""
    return name[0] + "*" * min(len(name) - 1, 4)


@public_bp.get("/verify/<string:number>")
@limiter.limit(_limit)
def verify(number):
    document = documents.public_document(number)
    signed = signature_ok(documents.VERIFY_SIGNATURE, document.number, request.args.get("s"))
    customer = document.test.customer if signed else None
    newer = document.superseded_by
    return render_template("metering/verify.html", doc=document, test=document.test, signed=signed,
                           status=documents.status(document), customer_name=mask_name(customer.name if customer else None),
                           newer_url=documents.verify_url(newer.number) if newer and signed else None,
                           org=documents.org_name())
