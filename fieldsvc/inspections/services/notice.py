"""隐患整改通知书: what the printed hazard notice of a visit shows (a document for the customer, in
Chinese); the signature and finding photos go in as data: URIs (a PDF fetches nothing)."""
import base64

from fieldsvc import clock, uploads
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import Inspection
from fieldsvc.inspections.services import common

GRADE_ZH = {"A": "一级", "B": "二级", "C": "三级"}
ACTION_ZH = {"A": "立即停气整改", "B": "限期15日内整改", "C": "建议整改"}
VERDICT_ZH = {"low": "偏低", "normal": "正常", "high": "偏高"}


def _data_uri(upload_id: int | None) -> str | None:
    if upload_id is None:
        return None
    upload = db.session.get(uploads.Upload, upload_id)
    return f"data:{upload.content_type};base64," + base64.b64encode(uploads.read(upload)).decode("ascii")


def context(inspection: Inspection) -> dict:
    hazards = {h.result_id: h for h in inspection.hazards}
    rows = []
    for r in inspection.results:
        if r.ok:
            continue
        h = hazards.get(r.id)
        rows.append({"label": r.item.label_zh, "grade": GRADE_ZH[r.grade], "action": ACTION_ZH[r.grade],
                     "deadline": h.deadline if h else None, "note": r.note or "", "hazard_id": h.id if h else None})
    band = rules.band(inspection.gas, common.rated_pressures()) if inspection.working_pa is not None else None
    return {"inspection": inspection, "customer": inspection.customer, "rows": rows,
            "worst": rules.worst_grade(r.grade for r in inspection.results if not r.ok),
            "visited_on": clock.business_date(inspection.visited_at),
            "verdict_zh": VERDICT_ZH.get(inspection.pressure_verdict or "", ""),
            "band": [int(v) for v in band] if band else None,
            "signature": _data_uri(inspection.signature_id)}
