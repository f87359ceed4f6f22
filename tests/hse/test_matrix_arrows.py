"""Issue #22 item 7: each axis arrow of the risk matrix points the way its values grow."""
import re
from decimal import Decimal

from fieldsvc.hse import matrix


def test_axis_arrows_point_towards_larger_values():
    svg = matrix.svg({}, {"title": "t", "likelihood": "L", "consequence": "C", "grade": str})
    columns = [Decimal(v) for v in re.findall(r">C ([\d.]+)</text>", svg)]
    rows = [Decimal(v) for v in re.findall(r">L ([\d.]+)</text>", svg)]
    growing_left = columns == sorted(columns, reverse=True)
    assert growing_left and ">← C</text>" in svg  # larger consequences to the left: the arrow points left
    # The likelihood label is turned 90° anticlockwise, so its "→" points up: larger values are at the top.
    assert rows == sorted(rows, reverse=True) and re.search(r'rotate\(-90[^>]*>L →</text>', svg)
