"""The SVG bar charts: one row per item, labels and values as text, no bar for a missing value."""
import re
from decimal import Decimal

from fieldsvc.reports import charts


def test_bar_chart_rows_labels_and_values():
    svg = str(charts.bar_chart([("城东片区", 12), ("高新区片区", 3), ("城南片区", None)], "Orders"))
    assert svg.startswith("<svg") and 'aria-label="Orders"' in svg and "<script" not in svg
    assert svg.count("<rect") == 2 and "城南片区" in svg and "—" in svg
    assert "<title>城东片区: 12</title>" in svg


def test_percent_chart_is_scaled_to_100():
    svg = str(charts.bar_chart([("2025-12", Decimal("99.4")), ("2026-01", Decimal("50.0"))], "Rate", max_value=100))
    assert ">99.4<" in svg and ">50<" in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 2 and abs(widths[1] - widths[0] * 50 / 99.4) < 0.2
    assert charts.text_width("高新区片区") == 5 * charts.FONT  # the label column fits the longest name
