"""Exports: XLSX that openpyxl loads back, a PDF, and the risk matrix SVG with the right counts."""
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fieldsvc.hse import matrix
from fieldsvc.hse.services import registers

FACTORS = [("3", "3", "40"), ("3", "6", "40"), ("3", "1", "40"), ("1", "1", "1"), ("0.5", "6", "15"),
           ("10", "10", "100")]


@pytest.fixture
def register(db, staff, hazard_payload, aspect_payload):
    officer = staff["safety_officer"]
    for l_value, e_value, c_value in FACTORS:
        registers.create_hazard(officer, hazard_payload(l=l_value, e=e_value, c=c_value))
    retired = registers.create_hazard(officer, hazard_payload(l="6", e="6", c="7"))
    registers.retire(officer, retired, "stopped")
    registers.create_aspect(officer, aspect_payload(a=5))
    registers.create_aspect(officer, aspect_payload("resource", f=3, g=3))
    db.session.commit()


def _cells(svg: str) -> dict:
    return {(m[0], m[1]): int(m[2]) for m in re.findall(r'data-l="([\d.]+)" data-c="([\d.]+)" data-count="(\d+)"', svg)}


def test_matrix_svg_counts(register, login):
    response = login("meter_reader").get("/hse/matrix.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    cells = _cells(response.get_data(as_text=True))
    assert len(cells) == 7 * 6
    assert cells[("3", "40")] == 3 and cells[("1", "1")] == 1 and cells[("0.5", "15")] == 1
    assert cells[("10", "100")] == 1
    assert sum(cells.values()) == len(FACTORS)  # the retired line is not counted


def test_matrix_colours_by_worst_grade():
    cells = matrix.counts([(Decimal("3"), Decimal("40"), 3), (Decimal("3.0"), Decimal("40"), 1)])
    assert cells == {(Decimal(3), Decimal(40)): (2, 1)}
    svg = matrix.svg(cells, {"title": "M", "likelihood": "L", "consequence": "C", "grade": str})
    cell = re.search(r'data-l="3" data-c="40" data-count="2"><title>[^<]*</title><rect[^>]*fill="([^"]+)"', svg)
    assert cell.group(1) == matrix.FILL[1]


def test_matrix_page_links_cells_to_the_register(register, login):
    page = login("safety_officer").get("/hse/matrix").get_data(as_text=True)
    assert '<svg' in page and 'href="/hse/hazards?l=3&amp;c=40"' in page
    listed = login("safety_officer").get("/hse/hazards?l=3&c=40").get_data(as_text=True)
    assert listed.count('class="list-row"') == 3


def test_residual_matrix_counts_only_assessed_lines(db, staff, hazard_payload, login):
    registers.create_hazard(staff["safety_officer"], hazard_payload(residual_l="1", residual_e="3", residual_c="40"))
    registers.create_hazard(staff["safety_officer"], hazard_payload())
    db.session.commit()
    cells = _cells(login("director").get("/hse/matrix.svg?basis=residual").get_data(as_text=True))
    assert sum(cells.values()) == 1 and cells[("1", "40")] == 1


@pytest.mark.parametrize("name,rows", [("hazards", len(FACTORS)), ("aspects", 2), ("nonconformities", 0),
                                       ("objectives", 0), ("training", None)])
def test_xlsx_exports_load(register, login, name, rows):
    response = login("safety_officer").get(f"/hse/export/{name}.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    if rows is not None:
        assert sheet.max_row == rows + 1  # the header and one row per line
    if name == "hazards":
        header = [c.value for c in sheet[1]]
        d_column = header.index("D") + 1
        values = sorted(float(sheet.cell(row=r, column=d_column).value) for r in range(2, sheet.max_row + 1))
        assert values == sorted(float(Decimal(a) * Decimal(b) * Decimal(c)) for a, b, c in FACTORS)


def test_training_export_needs_the_safety_office(register, login):
    assert login("meter_reader").get("/hse/export/training.xlsx").status_code == 403
    assert login("meter_reader").get("/hse/export/hazards.xlsx").status_code == 200


def test_unknown_export_is_404(staff, login):
    assert login("safety_officer").get("/hse/export/secrets.xlsx").status_code == 404
    assert login("safety_officer").get("/hse/export/hazards.doc").status_code == 404


def test_pdf_export(register, login):
    response = login("safety_officer").get("/hse/export/hazards.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
