"""The risk matrix picture: likelihood (L) rows × consequence (C) columns, hazard counts in the cells.

Pure and server-side: a small SVG string, no JS library, readable on a 360 px phone (the viewBox
scales to the screen width). A cell is coloured by the worst grade among its hazards; empty cells
stay pale. Each cell carries data-l/data-c/data-count so tests (and the page's links) can read it.
"""
from collections.abc import Iterable
from decimal import Decimal

from markupsafe import escape

from fieldsvc.hse.rules import C_VALUES, L_VALUES, fmt

FILL = {1: "#d92d20", 2: "#f79009", 3: "#fdd835", 4: "#2e90fa", 5: "#b2ddff"}
INK = {1: "#ffffff", 2: "#1b1f24", 3: "#1b1f24", 4: "#ffffff", 5: "#1b1f24"}
EMPTY_FILL, EMPTY_INK, LINE = "#f3f5f8", "#8c959f", "#ffffff"
LEFT, TOP, CELL_W, CELL_H, LEGEND = 64, 52, 48, 40, 56


def counts(rows: Iterable[tuple[Decimal, Decimal, int]]) -> dict[tuple[Decimal, Decimal], tuple[int, int]]:
    """(L, C) → (number of hazards, worst grade) from (l, c, grade) rows."""
    cells: dict[tuple[Decimal, Decimal], tuple[int, int]] = {}
    for l_value, c_value, grade in rows:
        key = (Decimal(l_value).normalize(), Decimal(c_value).normalize())
        count, worst = cells.get(key, (0, 5))
        cells[key] = (count + 1, min(worst, grade))
    return cells


def _cell(x: int, y: int, l_value, c_value, cell, link) -> str:
    count, grade = cell or (0, None)
    fill, ink = (FILL[grade], INK[grade]) if count else (EMPTY_FILL, EMPTY_INK)
    body = (f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" stroke="{LINE}" stroke-width="2"/>'
            f'<text x="{x + CELL_W // 2}" y="{y + CELL_H // 2 + 6}" text-anchor="middle" font-size="17" '
            f'font-weight="700" fill="{ink}">{count if count else "·"}</text>')
    attrs = f'class="cell" data-l="{fmt(l_value)}" data-c="{fmt(c_value)}" data-count="{count}"'
    title = f"<title>L={fmt(l_value)} C={fmt(c_value)}: {count}</title>"
    if count and link:
        href = escape(link(fmt(l_value), fmt(c_value)))
        return f'<a href="{href}" {attrs}>{title}{body}</a>'
    return f"<g {attrs}>{title}{body}</g>"


def svg(cells: dict, labels: dict, link=None) -> str:
    """The matrix as SVG markup. labels: title, likelihood, consequence, grade (a callable grade → word).
    link: optional fn(l, c) -> url for cells with hazards."""
    width = LEFT + CELL_W * len(C_VALUES) + 4
    height = TOP + CELL_H * len(L_VALUES) + LEGEND
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="risk-matrix" '
             f'role="img" aria-label="{escape(labels["title"])}" font-family="system-ui, sans-serif">',
             f'<title>{escape(labels["title"])}</title>',
             # Arrows point the way the values grow: C falls from 100 at the left, L from 10 at the top.
             f'<text x="{LEFT + CELL_W * 3}" y="16" text-anchor="middle" font-size="13" fill="#57606a">'
             f'← {escape(labels["consequence"])}</text>',
             f'<text x="14" y="{TOP + CELL_H * 3.5}" text-anchor="middle" font-size="13" fill="#57606a" '
             f'transform="rotate(-90 14 {TOP + CELL_H * 3.5})">{escape(labels["likelihood"])} →</text>']
    for col, c_value in enumerate(C_VALUES):
        parts.append(f'<text x="{LEFT + col * CELL_W + CELL_W // 2}" y="{TOP - 10}" text-anchor="middle" '
                     f'font-size="13" fill="#1b1f24">C {fmt(c_value)}</text>')
    for row, l_value in enumerate(L_VALUES):
        y = TOP + row * CELL_H
        parts.append(f'<text x="{LEFT - 6}" y="{y + CELL_H // 2 + 5}" text-anchor="end" font-size="13" '
                     f'fill="#1b1f24">L {fmt(l_value)}</text>')
        for col, c_value in enumerate(C_VALUES):
            key = (l_value.normalize(), c_value.normalize())
            parts.append(_cell(LEFT + col * CELL_W, y, l_value, c_value, cells.get(key), link))
    parts.append(_legend(TOP + CELL_H * len(L_VALUES) + 14, width, labels["grade"]))
    parts.append("</svg>")
    return "".join(parts)


def _legend(y: int, width: int, grade_word) -> str:
    step = (width - 8) // 5
    items = []
    for i, grade in enumerate(range(1, 6)):
        x = 4 + i * step
        items.append(f'<rect x="{x}" y="{y}" width="16" height="16" rx="3" fill="{FILL[grade]}"/>'
                     f'<text x="{x + 20}" y="{y + 13}" font-size="12" fill="#1b1f24">{escape(grade_word(grade))}</text>')
    return "".join(items)
