"""The monthly report (月报) as XLSX and PDF: the same figures as the dashboard, from the same queries,
flattened into one list of lines (`lines`) both documents print."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldsvc.exports import Xlsx
from fieldsvc.labels import label


@dataclass(frozen=True)
class Line:
    key: str        # stable id: "orders.total", "readings.rate"
    section: str    # Chinese section heading (the PDF's fixed headings)
    zh: str         # Chinese line label
    text: object    # English label (translated through Babel)
    value: object   # int, Decimal, float or None (no data)
    unit: str = ""


def lines(figures: dict) -> list[Line]:
    f = figures
    out = [
        Line("orders.total", "工单", "工单总数", _l("Work orders created"), f["orders"]["total"]),
        *[Line(f"orders.type.{t}", "工单", f"工单 · {label(t, 'wo_type')}", label(t, "wo_type"), n)
          for t, n in sorted(f["orders"]["by_type"].items())],
        *[Line(f"orders.status.{s}", "工单", f"状态 · {label(s, 'wo_status')}", label(s, "wo_status"), n)
          for s, n in sorted(f["orders"]["by_status"].items())],
        Line("compliance.rate", "时效", "时效达标率", _l("Response time met"), f["compliance"]["rate"], "%"),
        *[Line(f"compliance.type.{t}", "时效", f"达标率 · {label(t, 'wo_type')}", label(t, "wo_type"), v["rate"], "%")
          for t, v in sorted(f["compliance"]["by_type"].items())],
        Line("emergency.count", "抢修", "抢修到场次数", _l("Emergency arrivals"), f["emergency"]["count"]),
        Line("emergency.median", "抢修", "到场时间中位数（分钟）", _l("Arrival, median (min)"), f["emergency"]["median_min"]),
        Line("emergency.p90", "抢修", "到场时间90分位（分钟）", _l("Arrival, 90th percentile (min)"),
             f["emergency"]["p90_min"]),
        Line("readings.stops", "抄表收费", "计划抄表户数", _l("Stops planned"), f["readings"]["stops"]),
        Line("readings.read", "抄表收费", "实抄户数", _l("Stops read"), f["readings"]["read"]),
        Line("readings.rate", "抄表收费", "抄表率", _l("Reading completion"), f["readings"]["rate"], "%"),
        Line("arrears.billed", "抄表收费", "应收金额（元）", _l("Billed (yuan)"), f["arrears"]["billed"]),
        Line("arrears.paid", "抄表收费", "实收金额（元）", _l("Paid (yuan)"), f["arrears"]["paid"]),
        Line("arrears.rate", "抄表收费", "回收率", _l("Recovery rate"), f["arrears"]["rate"], "%"),
        Line("inspections.coverage", "安检", "安检率", _l("Inspection coverage"), f["inspections"]["coverage"], "%"),
        Line("inspections.entry", "安检", "入户率", _l("Entry rate"), f["inspections"]["entry_rate"], "%"),
        Line("hazards.found", "安检", "发现隐患", _l("Hazards found"), f["hazards"]["found"]),
        Line("hazards.rectified", "安检", "已整改", _l("Hazards rectified"), f["hazards"]["rectified"]),
        Line("hazards.rate", "安检", "整改率", _l("Rectification rate"), f["hazards"]["rate"], "%"),
        Line("hazards.overdue", "安检", "逾期未整改", _l("Hazards overdue"), f["hazards"]["overdue"]),
        Line("metering.tests", "计量", "检定表数", _l("Meter tests"), f["metering"]["tests"]),
        Line("metering.failure_rate", "计量", "不合格率", _l("Failure rate"), f["metering"]["failure_rate"], "%"),
        Line("metering.certificates", "计量", "出具检定证书", _l("Certificates issued"), f["metering"]["certificates"]),
        Line("satisfaction.count", "回访", "回访数", _l("Follow-up calls"), f["satisfaction"]["count"]),
        Line("satisfaction.mean", "回访", "满意度均值", _l("Satisfaction, mean (1–5)"), f["satisfaction"]["mean"]),
        Line("satisfaction.rate", "回访", "满意率（4–5分）", _l("Satisfied (4–5)"), f["satisfaction"]["satisfied_rate"], "%"),
        Line("satisfaction.complaints.count", "回访", "投诉回访数", _l("Complaint follow-up calls"),
             f["satisfaction"]["complaints"]["count"]),
        Line("satisfaction.complaints.mean", "回访", "投诉回访满意度均值", _l("Complaint follow-ups, mean (1–5)"),
             f["satisfaction"]["complaints"]["mean"]),
        Line("satisfaction.visits.count", "回访", "维修回访数", _l("Repair follow-up calls"),
             f["satisfaction"]["visits"]["count"]),
        Line("satisfaction.visits.mean", "回访", "维修回访满意度均值", _l("Repair follow-ups, mean (1–5)"),
             f["satisfaction"]["visits"]["mean"]),
        Line("hse.significant", "安全环保", "重大危险源", _l("Significant hazard sources"), f["hse"]["significant_hazards"]),
        Line("hse.open_nc", "安全环保", "未关闭不符合项", _l("Open nonconformities"), f["hse"]["open_nonconformities"]),
        Line("staff.expired", "人员资质", "资质已过期", _l("Qualifications expired"), f["qualifications"]["expired"]),
        Line("staff.expiring", "人员资质", "资质即将到期", _l("Qualifications expiring"), f["qualifications"]["expiring"]),
    ]
    return out


def xlsx(report: dict, district_name: str | None) -> bytes:
    """The monthly report as a workbook: one sheet, a line per figure (numbers as numbers)."""
    book = Xlsx(report["key"])
    number = book.row([str(_l("Monthly report")), report["key"], district_name or str(_l("All districts"))])
    book.bold(number, 1)
    book.blank()
    book.row(["key", str(_l("Section")), str(_l("Figure")), str(_l("Value")), str(_l("Unit"))], bold=True)
    for line in lines(report["figures"]):
        value = line.value
        if value is not None and not isinstance(value, int):
            value = float(value)
        book.row([line.key, line.section, str(line.text), value, line.unit])
    book.width(1, 28)
    book.width(2, 12)
    book.width(3, 36)
    return book.bytes()


def pdf(report: dict, district_name: str | None) -> bytes:
    from flask_babel import force_locale

    from fieldsvc.pdf import render_pdf
    with force_locale("zh_CN"):  # the document's language: type and status names in Chinese
        return _pdf(report, district_name, render_pdf)


def _pdf(report: dict, district_name: str | None, render_pdf) -> bytes:
    sections: dict[str, list[Line]] = {}
    for line in lines(report["figures"]):
        sections.setdefault(line.section, []).append(line)
    return render_pdf("reports/pdf/monthly.html", report=report, sections=sections, district_name=district_name)
