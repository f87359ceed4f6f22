"""The one writer of spreadsheet exports (XLSX and CSV): every export goes through it.

Text from the database is written as text and nothing else:
- control characters (all but newline and tab) are stripped; openpyxl refuses them (one in a hazard's
  text made the whole register a 500) and they mean nothing in a cell;
- text a spreadsheet would run as a formula (starting with = + - @, tab or carriage return: OWASP's
  CSV-injection list) is neutralised: in CSV with a leading apostrophe, in XLSX as a text cell with
  Excel's quote prefix (the stored apostrophe: the cell shows the text as typed and never evaluates);
- numbers (int, float, Decimal) and dates stay numbers and dates.
"""
import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from fieldsvc.schemas import CONTROL_CHARACTERS  # the same set input refuses

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")


def clean_text(text: str) -> str:
    """`text` without control characters (newline and tab kept)."""
    return CONTROL_CHARACTERS.sub("", text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_value(value) -> str | int | float | Decimal:
    """A value as a CSV cell: numbers as they are, text cleaned and neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = clean_text(str(value))
    return "'" + text if is_formula_like(text) else text


def csv_rows(header: Iterable, rows: Iterable[Iterable], bom: bool = True, chunk: int = 500) -> Iterator[str]:
    """CSV text in pieces of `chunk` rows (CRLF, UTF-8 BOM so Excel on a Chinese Windows reads it right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow([csv_value(v) for v in header])
    for n, row in enumerate(rows, 1):
        writer.writerow([csv_value(v) for v in row])
        if n % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(header: Iterable, rows: Iterable[Iterable], bom: bool = True) -> str:
    return "".join(csv_rows(header, rows, bom))


class Xlsx:
    """A one-sheet workbook written row by row. Text is cleaned; formula-like text is a quoted text cell.

        book = Xlsx(title)
        book.row(headers, bold=True, fill="FFEEF1F5", wrap=True)
        book.row(values)                     # → the row's number
        book.fill(row, column, "FFD92D20")
        book.width(column, 24); book.freeze("B2")
        body = book.bytes()
    """

    def __init__(self, title: str):
        from openpyxl import Workbook
        self._book = Workbook()
        self.sheet = self._book.active
        # Excel's limits on sheet names: 31 characters, none of \ / * ? : [ ]
        self.sheet.title = _SHEET_TITLE.sub(" ", clean_text(str(title)))[:31] or "Sheet1"

    def row(self, values: Iterable, *, bold: bool = False, fill: str | None = None, wrap: bool = False) -> int:
        from openpyxl.styles import Alignment, Font, PatternFill
        values = list(values)
        self.sheet.append([_xlsx_value(v) for v in values])
        number = self.sheet.max_row
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=number, column=column)
            if isinstance(value, str) and is_formula_like(clean_text(value)):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True
            if bold:
                cell.font = Font(bold=True)
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        return number

    def blank(self) -> None:
        self.sheet.append([])

    def bold(self, row: int, column: int) -> None:
        from openpyxl.styles import Font
        self.sheet.cell(row=row, column=column).font = Font(bold=True)

    def fill(self, row: int, column: int, argb: str) -> None:
        from openpyxl.styles import PatternFill
        self.sheet.cell(row=row, column=column).fill = PatternFill("solid", fgColor=argb)

    def width(self, column: int, width: float) -> None:
        from openpyxl.utils import get_column_letter
        self.sheet.column_dimensions[get_column_letter(column)].width = width

    def freeze(self, cell: str) -> None:
        self.sheet.freeze_panes = cell

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, datetime) and value.tzinfo is not None:  # Excel has no zones: business time
        from fieldsvc import clock
        return value.astimezone(clock.zone()).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    return clean_text(str(value))
