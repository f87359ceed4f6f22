"""The CSV format (docs/IMPORT.md): column names, the office's Chinese headings and value words, and
undoing what Excel does to values. Pure functions, no database.
"""
import csv
import io
import re

from flask_babel import gettext as _

from fieldsvc.customers import rules
from fieldsvc.errors import Invalid

ADDRESS_COLUMNS = ("estate", "building", "unit", "floor", "room")
CUSTOMER_COLUMNS = ("account_no", "name", "phone", "category", "gas", "district", *ADDRESS_COLUMNS, "note")
REQUIRED_COLUMNS = ("account_no", "name", "category", "gas", "district")
# CSV column → MeterIn field. A row with any of these filled installs a meter at the new customer.
METER_COLUMNS = {"meter_serial": "serial_no", "meter_size": "size", "meter_class": "accuracy_class",
                 "meter_kind": "kind", "meter_location": "location", "meter_maker": "maker",
                 "made_on": "made_on", "first_verified_on": "first_verified_on",
                 "installed_on": "installed_on", "start_reading": "start_reading"}
METER_ERROR_COLUMN = {v: k for k, v in METER_COLUMNS.items()}
DATE_COLUMNS = ("made_on", "first_verified_on", "installed_on")

# The headings the office's Excel sheets use (GLOSSARY.md words plus common variants).
HEADER_ALIASES = {
    "户号": "account_no", "用户编号": "account_no", "用户号": "account_no", "客户编号": "account_no",
    "姓名": "name", "户名": "name", "用户名称": "name", "用户名": "name", "客户名称": "name",
    "电话": "phone", "联系电话": "phone", "手机": "phone", "手机号": "phone",
    "用户类别": "category", "用户类型": "category", "类别": "category",
    "气种": "gas", "燃气种类": "gas", "气源": "gas",
    "片区": "district",
    "小区/道路": "estate", "小区": "estate", "道路": "estate", "小区或道路": "estate",
    "楼栋": "building", "栋": "building", "楼号": "building",
    "单元": "unit", "楼层": "floor", "层": "floor", "房号": "room", "室": "room", "门牌号": "room",
    "备注": "note",
    "表号": "meter_serial", "燃气表号": "meter_serial", "表编号": "meter_serial",
    "表规格": "meter_size", "规格": "meter_size", "规格型号": "meter_size",
    "准确度等级": "meter_class", "精度等级": "meter_class", "等级": "meter_class",
    "表类型": "meter_kind", "表类别": "meter_kind", "表种类": "meter_kind",
    "安装位置": "meter_location", "表位置": "meter_location",
    "厂家": "meter_maker", "生产厂家": "meter_maker", "制造商": "meter_maker",
    "出厂日期": "made_on", "首检日期": "first_verified_on", "首次检定日期": "first_verified_on",
    "安装日期": "installed_on", "装表日期": "installed_on",
    "起始读数": "start_reading", "起码": "start_reading", "初始读数": "start_reading", "底数": "start_reading",
}
VALUE_ALIASES = {
    "category": {"民用": "residential", "民用户": "residential", "居民": "residential", "居民用户": "residential",
                 "商业": "commercial", "商业用户": "commercial", "工业": "industrial", "工业用户": "industrial",
                 "工业福利": "industrial", "工业福利用户": "industrial"},
    "gas": {"天然气": "NG", "液化石油气": "LPG", "液化气": "LPG", "人工煤气": "MG", "煤气": "MG"},
    "meter_kind": {"膜式表": "diaphragm", "膜式": "diaphragm", "普通表": "diaphragm", "机械表": "diaphragm",
                   "ic卡表": "ic_card", "ic卡": "ic_card", "智能表": "smart", "物联网表": "smart"},
    "meter_location": {"室内": "indoor", "室内表": "indoor", "户内": "indoor",
                       "室外": "outdoor", "室外表": "outdoor", "户外": "outdoor"},
    # Excel shows the number 1.0 as "1".
    "meter_class": {"1": "1.0", "1级": "1.0", "1.0级": "1.0", "1.5级": "1.5"},
}
DATE_PATTERN = re.compile(r"^(\d{4})[./年-](\d{1,2})[./月-](\d{1,2})日?(?:\s+0{1,2}:00(?::00)?)?$")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+\d+$")  # what Excel makes of a long number in a General cell
KNOWN_COLUMNS = frozenset(CUSTOMER_COLUMNS) | frozenset(METER_COLUMNS)


def read_csv(data: bytes, encoding: str = "utf-8-sig") -> list[list[str]]:
    """Decode a CSV export into rows (header first); Invalid when it cannot be read at all."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        shown = "UTF-8" if encoding.lower().startswith("utf-8") else encoding.upper()
        raise Invalid({"file": [_("The file is not %(encoding)s text. In Excel, save it as "
                                  "\"CSV UTF-8 (comma delimited)\".", encoding=shown)]}) from exc
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" in some locales and tab-separated text when asked: take what the header uses.
    delimiter = max(",;\t", key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise Invalid({"file": [str(exc)]}) from exc


def column_for(heading: str) -> str | None:
    """The column a heading names (account_no, 户号, "* Account No" …), None when it is not ours."""
    key = heading.replace("\ufeff", "").strip().strip("*＊").strip().lower()
    key = re.sub(r"[\s-]+", "_", key)
    return key if key in KNOWN_COLUMNS else HEADER_ALIASES.get(key)


def clean(column: str, value: str) -> str:
    """Undo what Excel and the office's habits do to a value, before the schema judges it."""
    value = value.strip()
    aliases = VALUE_ALIASES.get(column)
    if aliases:
        value = aliases.get(value, aliases.get(value.lower(), value))
    if column in ("category", "meter_kind", "meter_location"):
        value = value.lower() if value.isascii() else value
    elif column == "gas":
        value = value.upper() if value.isascii() else value
    elif column == "meter_size":
        value = value.replace(" ", "").upper()
        if value and not value.startswith("G") and f"G{value}" in rules.METER_SIZES:
            value = f"G{value}"
    elif column in DATE_COLUMNS and (match := DATE_PATTERN.match(value)):
        year, month, day = match.groups()
        value = f"{year}-{int(month):02d}-{int(day):02d}"
    return value
