"""Small server-side SVG bar charts, embedded inline in pages (no script, no CDN).

Bars are horizontal: one row per item, its label on the left, the bar, and its value after the bar, all
in one text size. That reads on a phone at 360 px (labels never collide, however many months or however
long a district's name) and on a desktop. The SVG scales to its container (viewBox; the page caps its
width); each bar carries a <title> with its exact value for a long press / hover.
"""
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 360
ROW = 28        # height of one row, in viewBox units
FONT = 15       # text size (≈ 12.3 px on a 360 px phone, where the chart is ≈ 296 px wide)
GAP = 6


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def text_width(text: str, font: float = FONT) -> float:
    """Rough rendered width: a CJK character is one em, anything else about 0.6 em."""
    return sum(font if ord(ch) > 0x2E7F else font * 0.6 for ch in text)


def bar_chart(items: list[tuple[str, object]], title: str, unit: str = "", max_value=None,
              css_class: str = "chart") -> Markup:
    """Horizontal bars of (label, value) pairs, in the given order (a None value draws no bar and shows —).

    max_value fixes the scale (100 for percentages); otherwise the largest value sets it.
    """
    values = [float(v) for _, v in items if v is not None]
    top = float(max_value) if max_value is not None else max(values + [0.0])
    top = top or 1.0
    texts = [_number(v) + (unit if v is not None else "") for _, v in items]
    label_w = min(WIDTH * 0.4, max([text_width(label) for label, _ in items] + [0.0])) + GAP
    value_w = max([text_width(t) for t in texts] + [0.0]) + GAP
    bar_area = WIDTH - label_w - value_w - 2
    height = max(len(items), 1) * ROW + 4
    parts = [f'<svg class="{escape(css_class)}" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<line x1="{label_w:.1f}" y1="0" x2="{label_w:.1f}" y2="{height}" class="axis" stroke="#888" '
             f'stroke-width="1"/>']
    for i, ((label, value), text) in enumerate(zip(items, texts, strict=True)):
        y = 2 + i * ROW
        baseline = y + ROW / 2 + FONT * 0.35
        parts.append(f'<text x="{label_w - GAP:.1f}" y="{baseline:.1f}" text-anchor="end" font-size="{FONT}" '
                     f'fill="#333">{escape(label)}</text>')
        w = 0.0
        if value is not None:
            w = max(bar_area * float(value) / top, 0.0)
            parts.append(f'<rect x="{label_w:.1f}" y="{y + 4:.1f}" width="{w:.1f}" height="{ROW - 8}" '
                         f'fill="#1f6feb" class="bar"><title>{escape(label)}: {escape(text)}</title></rect>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{baseline:.1f}" font-size="{FONT}" fill="#333">'
                     f'{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def month_label(key: str) -> str:
    """'2026-11' → '2026-11' (kept whole: the year matters when the twelve months straddle two)."""
    return key
