"""Comparison charts as inline SVG built on the server: no JavaScript, no inline styles.

Colours and fonts come from classes in static/css/site.css; each chart is role="img" with a
title and a description, and the table beside it is the accessible alternative. A missing
value draws nothing (and says "no data"), never a zero bar.
"""

from decimal import Decimal
from html import escape  # the stdlib's: Django's lazy-aware one costs more per call

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from outlooks.formatting import format_number

WIDTH = 640
LABEL_W = 150
VALUE_W = 150
BAR_H = 18
GAP = 6
SERIES = 8  # colour classes series-0 … series-7


def _num(value: Decimal) -> str:
    return f"{float(value):.1f}"


def _scale_max(values) -> Decimal:
    top = max((v for v in values if v is not None), default=Decimal(0))
    return top if top > 0 else Decimal(1)


def _frame(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def bar_chart(*, chart_id: str, title: str, desc: str, bars: list[dict]) -> SafeString:
    """Horizontal bars: one per country ({label, central, low, high, text}); ranges as whiskers."""
    top = _scale_max([b["high"] if b["high"] is not None else b["central"] for b in bars])
    plot_w = WIDTH - LABEL_W - VALUE_W
    height = len(bars) * (BAR_H + GAP) + GAP
    no_data = escape(_("no data"))
    body = []
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_H + GAP)
        mid = y + BAR_H / 2
        body.append(
            f'<text class="bar-label" x="{LABEL_W - 6}" y="{mid:.1f}">{escape(bar["label"])}</text>'
        )
        if bar["central"] is None:
            body.append(
                f'<text class="chart-missing" x="{LABEL_W + 4}" y="{mid:.1f}">{no_data}</text>'
            )
            continue
        width = plot_w * bar["central"] / top
        body.append(
            f'<rect class="chart-bar series-{index % SERIES}" x="{LABEL_W}" y="{y}" '
            f'width="{_num(width)}" height="{BAR_H}"/>'
        )
        if bar["low"] is not None and bar["high"] is not None:
            x1 = LABEL_W + plot_w * bar["low"] / top
            x2 = LABEL_W + plot_w * bar["high"] / top
            body.append(
                f'<path class="chart-range" d="M{_num(x1)} {mid:.1f}H{_num(x2)}'
                f'M{_num(x1)} {y + 3}V{y + BAR_H - 3}M{_num(x2)} {y + 3}V{y + BAR_H - 3}"/>'
            )
        body.append(
            f'<text class="bar-value" x="{WIDTH - VALUE_W + 6}" y="{mid:.1f}">'
            f"{escape(bar['short'])}</text>"
        )
    return _frame(chart_id, title, desc, height, body)


def line_chart(
    *, chart_id: str, title: str, desc: str, years: list[int], series: list[dict]
) -> SafeString:
    """A time series per country ({label, points: [(year, central or None)]}).

    A missing year breaks the line rather than dropping it to zero.
    """
    left, right, top_pad, plot_h = 70, 20, 16, 200
    legend_h = 18 * ((len(series) + 2) // 3)
    height = top_pad + plot_h + 30 + legend_h
    plot_w = WIDTH - left - right
    top = _scale_max([v for s in series for _, v in s["points"]])

    def x_of(year):
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * years.index(year) / (len(years) - 1)

    def y_of(value):
        return top_pad + plot_h - float(plot_h * value / top)

    base = top_pad + plot_h
    body = [
        f'<path class="chart-axis" d="M{left} {top_pad}V{base}H{WIDTH - right}"/>',
        f'<text class="chart-tick" x="{left - 6}" y="{base}" text-anchor="end">0</text>',
        f'<text class="chart-tick" x="{left - 6}" y="{top_pad + 4}" text-anchor="end">'
        f"{escape(format_number(format(top.normalize(), 'f')))}</text>",
    ]
    body.extend(
        f'<text class="chart-tick" x="{x_of(year):.1f}" y="{base + 16}" '
        f'text-anchor="middle">{year}</text>'
        for year in years
    )
    for index, line in enumerate(series):
        css = f"series-{index % SERIES}"
        segment = []
        segments = [segment]
        for year, value in line["points"]:
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append((x_of(year), y_of(value)))
        for part in segments:
            if len(part) > 1:
                d = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in part)
                body.append(f'<path class="chart-line {css}" d="{d}"/>')
            elif part:  # a lone value between gaps: a dot, so it is not lost
                x, y = part[0]
                body.append(
                    f'<circle class="chart-point {css}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>'
                )
        lx = left + (index % 3) * (plot_w / 3)
        ly = base + 34 + 18 * (index // 3)
        body.append(
            f'<rect class="chart-bar {css}" x="{lx:.1f}" y="{ly - 9}" width="10" height="10"/>'
            f'<text class="chart-label" x="{lx + 14:.1f}" y="{ly}">{escape(line["label"])}</text>'
        )
    return _frame(chart_id, title, desc, height, body)


def compare_rows_html(block: dict) -> SafeString:
    """The comparison table's body, built here rather than in the template: at 50 countries ×
    5 editions × 10 indicators, template loops over every cell cost more than the budget."""
    missing = (
        '<td class="missing"><span aria-hidden="true">—</span>'
        f'<span class="visually-hidden">{escape(_("missing"))}</span></td>'
    )
    no_edition = (
        '<td class="missing"><span aria-hidden="true">·</span>'
        f'<span class="visually-hidden">{escape(_("no edition"))}</span></td>'
    )
    html = []
    for row in block["rows"]:
        html.append(f'<tr><th scope="row">{escape(row["country"].name)}</th>')
        for cell in row["cells"]:
            if cell["item"] is not None:
                html.append(f"<td>{escape(cell['text'])}</td>")
            else:
                html.append(missing if cell["has_edition"] else no_edition)
        html.append("</tr>")
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped
