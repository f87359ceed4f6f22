"""The public verification page: anyone holding a certificate or notice checks it (no login)."""
from flask import current_app, render_template

from fieldsvc.extensions import limiter
from fieldsvc.metering.services import documents
from fieldsvc.metering.views import public_bp

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
    return render_template("metering/verify.html", doc=document, test=document.test,
                           status=documents.status(document), customer_name=mask_name(
                               document.test.customer.name if document.test.customer else None),
                           org=documents.org_name())
