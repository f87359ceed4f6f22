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
    if "sales" in f:
        after = next(i for i, line in enumerate(out) if line.key == "arrears.rate") + 1
        out[after:after] = sales_lines(f["sales"])  # gas sold next to readings and payments
    if "complaints" in f:
        out.extend(complaint_lines(f["complaints"]))
    return out


CATEGORY_ZH = {"residential": "民用户", "commercial": "商业用户", "industrial": "工业福利用户"}
TIER_ZH = {"1": "第一阶梯", "2": "第二阶梯", "3": "第三阶梯"}


def sales_lines(s: dict) -> list[Line]:
    """气量销售 (reports.sales): billed by category and tier, IC card net of reversals, the year to date
    and the districts."""
    sec = "气量销售"
    out = []
    for c in (*CATEGORY_ZH, "total"):
        zh = CATEGORY_ZH.get(c, "合计")
        text = label(c, "category") if c != "total" else _l("Total")
        out += [Line(f"sales.billed_m3.{c}", sec, f"抄表售气量 · {zh}（m³）", _l("Billed m³ · %(what)s", what=text),
                     s["billed_m3"][c]),
                Line(f"sales.billed_amount.{c}", sec, f"抄表售气金额 · {zh}（元）",
                     _l("Billed yuan · %(what)s", what=text), s["billed_amount"][c])]
    for t, zh in TIER_ZH.items():
        out.append(Line(f"sales.tiers_m3.{t}", sec, f"居民{zh}气量（m³）", _l("Residential tier %(n)s m³", n=t),
                        s["tiers_m3"].get(t)))
    out += [
        Line("sales.card_m3", sec, "IC卡售气量（m³）", _l("IC-card m³ (net of reversals)"), s["card_m3"]),
        Line("sales.card_amount", sec, "IC卡售气金额（元）", _l("IC-card yuan (net of reversals)"), s["card_amount"]),
        Line("sales.card_sales", sec, "IC卡售气笔数", _l("IC-card sales"), s["card_sales"]),
        Line("sales.card_reversed.count", sec, "冲正笔数", _l("IC-card reversals"), s["card_reversed"]["count"]),
        Line("sales.card_reversed.m3", sec, "冲正气量（m³）", _l("IC-card m³ reversed"), s["card_reversed"]["m3"]),
        Line("sales.total_m3", sec, "售气总量（m³）", _l("Gas sold, m³ (billed + IC card)"), s["total_m3"]),
    ]
    if "ytd" in s:
        y = s["ytd"]
        out += [Line("sales.ytd.m3", sec, f"本年累计售气量（m³，截至{y['to'].isoformat()}）",
                     _l("Year to date m³ (to %(day)s)", day=y["to"].isoformat()), y["m3"]),
                Line("sales.ytd.last_year_m3", sec, f"上年同期累计（m³，截至{y['last_year_to'].isoformat()}）",
                     _l("Same period last year m³ (to %(day)s)", day=y["last_year_to"].isoformat()), y["last_year_m3"]),
                Line("sales.ytd.change_pct", sec, "同比增减", _l("Change on last year"), y["change_pct"], "%")]
    for d in s["by_district"]:
        out += [Line(f"sales.district.{d['id']}.m3", sec, f"{d['name']} · 售气量（m³）",
                     _l("%(district)s · m³ sold", district=d["name"]), d["total_m3"]),
                Line(f"sales.district.{d['id']}.amount", sec, f"{d['name']} · 售气金额（元）",
                     _l("%(district)s · yuan billed and sold", district=d["name"]),
                     d["billed_amount"] + d["card_amount"])]
    return out


def complaint_lines(c: dict) -> list[Line]:
    """投诉 (reports.complaints): received, closed, on time against the clocks; by category and channel
    (those with anything in the period)."""
    sec = "投诉"
    out = [Line("complaints.received", sec, "受理投诉", _l("Complaints received"), c["received"]),
           Line("complaints.closed", sec, "办结投诉", _l("Complaints closed"), c["closed"]),
           Line("complaints.on_time", sec, "时限内处理", _l("Complaints on time"), c["on_time"]),
           Line("complaints.late", sec, "超时处理", _l("Complaints late"), c["late"]),
           Line("complaints.on_time_rate", sec, "时限达标率", _l("Complaints on-time rate"), c["on_time_rate"], "%")]
    for group, key, zh in (("complaint_category", "by_category", "类别"), ("complaint_channel", "by_channel", "渠道")):
        for code, v in c[key].items():
            if not (v["received"] or v["closed"]):
                continue
            word = label(code, group)
            out += [Line(f"complaints.{key}.{code}.received", sec, f"{zh} · {word} · 受理", _l("%(what)s · received", what=word),
                         v["received"]),
                    Line(f"complaints.{key}.{code}.closed", sec, f"{zh} · {word} · 办结", _l("%(what)s · closed", what=word),
                         v["closed"]),
                    Line(f"complaints.{key}.{code}.on_time_rate", sec, f"{zh} · {word} · 时限达标率",
                         _l("%(what)s · on-time rate", what=word), v["on_time_rate"], "%")]
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


SOURCE_TEXT = {"bills": _l("Bills"), "card": _l("IC card"), "card_reversed": _l("IC card, reversed")}


def sales_xlsx(export: dict, district_name: str | None) -> bytes:
    """The statistician's gas-sold workbook: the period's totals (the KPI API's figures) on top, then one
    row per month, district, source, category and tier (m³ and yuan as numbers), ready to pivot."""
    p, s = export["period"], export["figures"]
    book = Xlsx(str(_l("Gas sold")))
    book.row([str(_l("Gas sold")), f"{p.start.isoformat()} – {p.end.isoformat()}",
              district_name or str(_l("All districts"))], bold=True)
    book.blank()
    book.row(["key", str(_l("Figure")), str(_l("Value"))], bold=True)
    for line in sales_lines(s):
        value = line.value
        book.row([line.key, str(line.text), value if value is None or isinstance(value, int) else float(value)])
    book.blank()
    book.row([str(_l("Month")), str(_l("District")), str(_l("Source")), str(_l("Category")), str(_l("Tier")),
              str(_l("Lines")), "m³", str(_l("yuan")), "source", "category"], bold=True, fill="FFEEF1F5")
    for r in export["rows"]:  # the codes last, for formulas and pivots that must not depend on the language
        book.row([r["month"], r["district"], str(SOURCE_TEXT[r["source"]]), label(r["category"], "category"),
                  r["tier"], r["lines"], float(r["m3"]), float(r["amount"]), r["source"], r["category"]])
    for column, width in ((1, 24), (2, 34), (3, 18), (4, 14)):
        book.width(column, width)
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
