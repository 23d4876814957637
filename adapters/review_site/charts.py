"""Server-rendered SVG charts: plain bars, stacked bars and a daily volume chart.

No JavaScript and no external files: each chart is an inline ``<svg>`` whose
colours come from CSS classes (``series-0``..``series-3``) in style.css. Every
label is escaped; each chart carries a ``<title>`` for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH = 720
LABEL_WIDTH = 230
ROW_HEIGHT = 26
BAR_HEIGHT = 16


def _svg(height: int, title: str, body: list[str], width: int = WIDTH) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _label(x: float, y: float, text: str, anchor: str = "start", css: str = "label") -> str:
    return (
        f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'
    )


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    items: Sequence[tuple[str, int]], title: str, *, width: int = WIDTH, label_width: int = 0
) -> Markup:
    """One horizontal bar per (label, value), longest value full width."""
    label_width = label_width or (LABEL_WIDTH if width >= WIDTH else width // 3)
    top = max((value for _, value in items), default=0) or 1
    span = width - label_width - 70
    body: list[str] = []
    for index, (label, value) in enumerate(items):
        y = index * ROW_HEIGHT + 4
        length = span * value / top
        body.append(_label(0, y + 13, _short(label, label_width // 7)))
        body.append(
            f'<rect class="bar" x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}" rx="3"><title>{escape(label)}: {value}</title></rect>'
        )
        body.append(_label(label_width + length + 6, y + 13, f"{value:,}".replace(",", " ")))
    return _svg(max(len(items), 1) * ROW_HEIGHT + 8, title, body, width)


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    title: str,
    *,
    percent: bool = True,
) -> Markup:
    """One bar per row split into ``series``; ``percent`` scales each bar to its own total.

    A legend of ``series`` names sits above the bars.
    """
    legend_height = 24
    span = WIDTH - LABEL_WIDTH - 60
    top = max((sum(values) for _, values in rows), default=0) or 1
    body: list[str] = []
    x = 0.0
    for index, name in enumerate(series):
        body.append(f'<rect class="series-{index}" x="{x:.1f}" y="4" width="12" height="12"/>')
        body.append(_label(x + 16, 14, name))
        x += 26 + 7.5 * len(name)
    for row_index, (label, values) in enumerate(rows):
        y = legend_height + row_index * ROW_HEIGHT + 4
        total = sum(values)
        scale = span / (total or 1) if percent else span / top
        body.append(_label(0, y + 13, _short(label)))
        offset = float(LABEL_WIDTH)
        for index, value in enumerate(values):
            if value <= 0:
                continue
            length = value * scale
            share = 100.0 * value / total if total else 0.0
            body.append(
                f'<rect class="series-{index}" x="{offset:.1f}" y="{y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT}"><title>{escape(label)} — {escape(series[index])}: '
                f"{value} ({share:.0f} %)</title></rect>"
            )
            offset += length
        body.append(_label(offset + 6, y + 13, str(total)))
    height = legend_height + max(len(rows), 1) * ROW_HEIGHT + 8
    return _svg(height, title, body)


def daily_chart(days: Sequence[tuple[date, int]], title: str) -> Markup:
    """Conversations per day as columns, with the first, middle and last dates labelled."""
    height, bottom, left = 220, 190, 40
    top = max((count for _, count in days), default=0) or 1
    step = (WIDTH - left) / max(len(days), 1)
    width = max(step * 0.75, 1.0)
    body = [
        _label(left - 6, 14, str(top), anchor="end", css="axis"),
        _label(left - 6, bottom, "0", anchor="end", css="axis"),
        f'<line class="axis-line" x1="{left}" y1="{bottom}" x2="{WIDTH}" y2="{bottom}"/>',
    ]
    for index, (day, count) in enumerate(days):
        bar = (bottom - 10) * count / top
        x = left + index * step
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{bottom - bar:.1f}" width="{width:.1f}" '
            f'height="{bar:.1f}"><title>{day.isoformat()}: {count}</title></rect>'
        )
    marks = {0, len(days) // 2, len(days) - 1} if days else set()
    for index in sorted(marks):
        x = left + index * step + width / 2
        anchor = "start" if index == 0 else "end" if index == len(days) - 1 else "middle"
        x = left if anchor == "start" else WIDTH if anchor == "end" else x
        body.append(_label(x, bottom + 18, days[index][0].isoformat(), anchor=anchor, css="axis"))
    return _svg(height + 10, title, body)
