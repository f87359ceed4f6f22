"""Register exports: XLSX (through fieldsvc.exports, the one export writer) and printable PDF (fieldsvc.pdf),
and the risk matrix SVG.

Every export is built from the same rows (`_table`), so the spreadsheet, the PDF and the page agree;
the rows come through the services, so the same permission checks apply.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from fieldsvc import exports
from fieldsvc.errors import NotFound
from fieldsvc.hse import matrix, rules
from fieldsvc.hse.services import capa, programme, registers, training
from fieldsvc.labels import label
from fieldsvc.permissions import ROLE_LABELS

XLSX = exports.XLSX_MIMETYPE
ALL = 100_000  # registers are hundreds of lines, not millions: one page holds them
GRADE_FILL = {1: "FFD92D20", 2: "FFF79009", 3: "FFFDD835", 4: "FF2E90FA", 5: "FFB2DDFF"}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    fills: list[str | None]  # per row: ARGB colour of the grade column, or None
    fill_column: int | None = None
    printed: "Table | None" = None  # a narrower layout for A4 paper, when the sheet is too wide


def _num(value):
    return rules.fmt(value) if value is not None else ""


def _name(user) -> str:
    return user.name if user is not None else ""


def _hazards(actor, today) -> Table:
    items, _total = registers.list_hazards(actor, {}, 1, ALL, today)
    headers = [_("No."), _("Department"), _("Activity"), _("Hazard source"), _("Category"), _("Possible accident"),
               _("State"), "L", "E", "C", "D", _("Grade"), _("Significant"), _("Direct criteria"),
               *(label(k, "hse_control") for k in rules.CONTROL_KINDS), _("Owner"), _("Review date"),
               _("Residual L"), _("Residual E"), _("Residual C"), _("Residual D"), _("Residual grade")]
    rows = [[i, label(h.unit, "hse_unit"), h.activity, h.description, label(h.category, "hse_hazard_category"),
             label(h.accident_type, "hse_accident_type"), label(h.state, "hse_state"), h.l, h.e, h.c, h.d,
             h.grade, _("Yes") if h.significant else _("No"),
             "; ".join(label(c, "hse_criterion") for c in h.criteria or []),
             *(getattr(h, f"control_{k}") or "" for k in rules.CONTROL_KINDS), _name(h.owner),
             h.review_on, h.residual_l, h.residual_e, h.residual_c, h.residual_d, h.residual_grade]
            for i, h in enumerate(items, start=1)]
    title = _("Hazard identification and risk assessment register")
    fills = [GRADE_FILL[h.grade] for h in items]
    table = Table(title, headers, rows, fills, fill_column=11)
    table.printed = Table(title, [
        _("No."), _("Department"), _("Activity"), _("Hazard source"), _("Possible accident"), _("State"), "L", "E", "C", "D",
        _("Grade"), _("Significant"), _("Controls"), _("Owner"), _("Review date"), _("Residual risk")], [
        [i, label(h.unit, "hse_unit"), h.activity, h.description, label(h.accident_type, "hse_accident_type"),
         label(h.state, "hse_state"), h.l, h.e, h.c, h.d, h.grade,
         "; ".join([_("Yes") if h.significant else _("No")] + [label(c, "hse_criterion") for c in h.criteria or []]),
         "\n".join(f"{label(k, 'hse_control')}: {getattr(h, f'control_{k}')}" for k in rules.CONTROL_KINDS
                   if getattr(h, f"control_{k}")), _name(h.owner), h.review_on, _residual_text(h)]
        for i, h in enumerate(items, start=1)], fills, fill_column=10)
    return table


def _residual_text(h) -> str:
    if h.residual_d is None:
        return ""
    return (f"{_num(h.residual_l)}×{_num(h.residual_e)}×{_num(h.residual_c)} = {_num(h.residual_d)} "
            f"({_('Grade %(n)d', n=h.residual_grade)})")


def _aspects(actor, today) -> Table:
    items, _total = registers.list_aspects(actor, {}, 1, ALL, today)
    headers = [_("No."), _("Department"), _("Activity"), _("Environmental aspect"), _("Impact"), _("Kind"),
               _("State"), "A", "B", "C", "D", "E", "F", "G", _("Total"), _("Significant"), _("Controls"),
               _("Owner"), _("Review date")]
    rows = [[i, label(a.unit, "hse_unit"), a.activity, a.aspect, a.impact, label(a.kind, "hse_aspect_kind"),
             label(a.state, "hse_state"), a.a, a.b, a.c, a.d, a.e, a.f, a.g, a.total,
             _("Yes") if a.significant else _("No"), a.controls or "", _name(a.owner), a.review_on]
            for i, a in enumerate(items, start=1)]
    return Table(_("Environmental aspect register"), headers, rows,
                 ["FFFFEBE9" if a.significant else None for a in items], fill_column=15)


def _nonconformities(actor, today) -> Table:
    items, _total = capa.list_ncs(actor, per_page=ALL)
    headers = [_("Number"), _("Title"), _("Origin"), _("Department"), _("Status"), _("Root cause"),
               _("Actions"), _("Open actions"), _("Effective"), _("Raised on")]
    rows = [[n.number, n.title, label(n.origin, "hse_nc_origin"), label(n.unit, "hse_unit"),
             label(n.status, "hse_nc_state"), n.root_cause or "", len(n.actions),
             sum(1 for a in n.actions if a.done_on is None),
             "" if n.effective is None else (_("Yes") if n.effective else _("No")),
             n.created_at.date()] for n in items]
    return Table(_("Nonconformities and corrective actions"), headers, rows, [None] * len(rows))


def _objectives(actor, today) -> Table:
    items = programme.list_objectives(actor)
    headers = [_("Year"), _("Department"), _("Person responsible"), _("Objective"), _("Target"),
               _("Target value"), _("Actual"), _("Progress %"), _("Achieved"), _("Programme"), _("Due")]
    rows = []
    for o in items:
        pct, achieved = programme.progress(o)
        rows.append([o.year, label(o.unit, "hse_unit"), _name(o.owner), o.objective, o.indicator,
                     f"{label(o.direction, 'hse_direction')} {_num(o.target_value)} {o.measure or ''}".strip(),
                     o.actual_value, pct, _("Yes") if achieved else _("No"), o.programme or "", o.due_on])
    return Table(_("Objectives, targets and programmes"), headers, rows, [None] * len(rows))


def _training(actor, today) -> Table:
    topics, people = training.matrix(actor, today)
    headers = [_("Name"), _("Role"), *(t.name for t in topics)]
    rows = []
    for user, cells in people:
        row = [user.name, str(ROLE_LABELS.get(user.role, user.role))]
        for topic in topics:
            cell = cells.get(topic.id)
            row.append("" if cell is None else f"{label(cell.status, 'hse_training_status')}"
                       + (f" · {cell.due_on.isoformat()}" if cell.due_on else ""))
        rows.append(row)
    return Table(_("Training matrix"), headers, rows, [None] * len(rows))


REGISTERS: dict[str, Callable] = {"hazards": _hazards, "aspects": _aspects, "nonconformities": _nonconformities,
                                  "objectives": _objectives, "training": _training}


def to_xlsx(table: Table) -> bytes:
    """The register as a workbook, through the one export writer (text cleaned, formulas neutralised)."""
    book = exports.Xlsx(table.title)
    book.row(table.headers, bold=True, fill="FFEEF1F5", wrap=True)
    for row, fill in zip(table.rows, table.fills, strict=True):
        number = book.row(row)
        if fill and table.fill_column:
            book.fill(number, table.fill_column, fill)
    for index, header in enumerate(table.headers, start=1):
        longest = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in table.rows[:200]])
        book.width(index, min(max(6, longest + 2), 50))
    book.freeze("B2")
    return book.bytes()


def to_pdf(table: Table, today) -> bytes:
    from fieldsvc.pdf import render_pdf
    table = table.printed or table
    rows = [[_cell_text(v) for v in row] for row in table.rows]
    names = {argb: f"fill{i}" for i, argb in enumerate(sorted({f for f in table.fills if f}))}
    # Short columns (factors, grades, dates) never wrap; long text wraps anywhere (CJK has no spaces).
    short = {i for i in range(len(table.headers)) if all(len(r[i]) <= 10 for r in rows)}
    return render_pdf("hse/pdf/register.html", table=table, rows=rows, today=today, short=short,
                      classes=[names.get(f) for f in table.fills],
                      fill_css={name: "#" + argb[2:] for argb, name in names.items()})


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "normalize"):
        return rules.fmt(value)
    return str(value)


def export(actor, register: str, fmt: str, today) -> tuple[bytes, str, str]:
    """(body, mimetype, filename) of a register in xlsx or pdf; unknown names → NotFound."""
    if register not in REGISTERS or fmt not in ("xlsx", "pdf"):
        raise NotFound()
    table = REGISTERS[register](actor, today)
    filename = f"hse-{register}-{today.isoformat()}.{fmt}"
    if fmt == "xlsx":
        return to_xlsx(table), XLSX, filename
    return to_pdf(table, today), "application/pdf", filename


def matrix_svg(actor, basis: str = "initial", link: bool = False) -> tuple[str, int]:
    """The risk matrix of the active register (initial or residual risk) and how many lines it counts."""
    items, _total = registers.list_hazards(actor, {}, 1, ALL)
    if basis == "residual":
        rows = [(h.residual_l, h.residual_c, h.residual_grade) for h in items if h.residual_d is not None]
    else:
        rows = [(h.l, h.c, h.grade) for h in items]
    cells = matrix.counts(rows)
    labels = {"title": _("Risk matrix"), "likelihood": _("Likelihood L"), "consequence": _("Consequence C"),
              "grade": lambda g: _("Grade %(n)d", n=g)}
    # Cells link to the matching register lines (initial factors only: the list filters on those).
    linker = (lambda l_value, c_value: url_for("hse.hazards", l=l_value, c=c_value)) \
        if link and basis == "initial" else None
    return matrix.svg(cells, labels, linker), len(rows)
