"""Small server-side SVG bar charts, embedded inline in pages (no script, no CDN).

The SVG scales to its container (viewBox; the page caps its width), labels are text in the SVG (readable on a
phone at 360 px), and each bar carries a <title> with its exact value for a long press / hover.
"""
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 360
BAR_AREA = 150
TOP = 18
BOTTOM = 34


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def bar_chart(items: list[tuple[str, object]], title: str, unit: str = "", max_value=None,
              css_class: str = "chart") -> Markup:
    """Vertical bars of (label, value) pairs (a None value draws no bar), with the value above each bar.

    max_value fixes the scale (100 for percentages); otherwise the largest value sets it.
    """
    values = [float(v) for _, v in items if v is not None]
    top = float(max_value) if max_value is not None else max(values + [0.0])
    top = top or 1.0
    n = max(len(items), 1)
    slot = (WIDTH - 8) / n
    bar = max(slot * 0.7, 2)
    height = TOP + BAR_AREA + BOTTOM
    small = slot < 30
    parts = [f'<svg class="{escape(css_class)}" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<line x1="4" y1="{TOP + BAR_AREA}" x2="{WIDTH - 4}" y2="{TOP + BAR_AREA}" class="axis" '
             f'stroke="#888" stroke-width="1"/>']
    for i, (label, value) in enumerate(items):
        x = 4 + i * slot + (slot - bar) / 2
        cx = 4 + i * slot + slot / 2
        text = _number(value) + (unit if value is not None else "")
        if value is not None:
            h = BAR_AREA * float(value) / top
            y = TOP + BAR_AREA - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#1f6feb" '
                         f'class="bar"><title>{escape(label)}: {escape(text)}</title></rect>')
        else:
            y = TOP + BAR_AREA
        font = 10 if small else 12
        parts.append(f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="{font}" '
                     f'fill="#333">{escape(text)}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{TOP + BAR_AREA + 14}" text-anchor="middle" font-size="{font}" '
                     f'fill="#555">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def month_label(key: str) -> str:
    """'2026-11' → '11' for the axis (the year is in the chart title)."""
    return key[5:]
