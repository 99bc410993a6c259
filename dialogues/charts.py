"""The balance of voices: participation counts laid out as a server-drawn stacked bar chart."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Geometry in SVG user units; the viewBox scales to the page width (CSS caps it).
WIDTH = 320
LABEL_HEIGHT = 16
BAR_HEIGHT = 16
ROW_GAP = 10
VALUE_SPACE = 44  # room right of the longest bar for its number
LEGEND_HEIGHT = 24
LEGEND_X = [0, 80, 150]  # room for "Women", "Men" at 11 units per letter height

# Fill colours are presentation attributes (allowed by the CSP, unlike style=""); each has at
# least 3:1 contrast on white, and segments are also told apart by a white gap and the legend.
GENDERS = [
    ("women", _("Women"), "#8a4b08"),
    ("men", _("Men"), "#1f5f7a"),
    ("other", _("Other or not recorded"), "#6b6b66"),
]


@dataclass
class Segment:
    gender: str
    label: str
    fill: str
    value: int
    x: float
    width: float


@dataclass
class Row:
    label: str
    total: int
    women: int
    men: int
    other: int
    label_y: float
    bar_y: float
    value_x: float
    value_y: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class BalanceChart:
    rows: list[Row]
    width: int
    height: int
    legend_y: float
    legend: list[dict]
    women: int
    men: int
    other: int
    total: int


def balance_chart(counts) -> BalanceChart | None:
    """Lay out one bar per stakeholder type, split by gender; None when nothing was counted."""
    counts = [c for c in counts if c.breakdown_total > 0]
    if not counts:
        return None
    longest = max(c.breakdown_total for c in counts)
    bar_space = WIDTH - VALUE_SPACE
    rows = []
    y = LEGEND_HEIGHT + 4
    for count in counts:
        label_y = y + LABEL_HEIGHT - 4
        bar_y = y + LABEL_HEIGHT
        x = 0.0
        segments = []
        for gender, label, fill in GENDERS:
            value = getattr(count, gender)
            width = round(bar_space * value / longest, 2)
            if value:
                segments.append(Segment(gender, label, fill, value, round(x, 2), width))
            x += width
        rows.append(
            Row(
                label=str(count.stakeholder_type),
                total=count.breakdown_total,
                women=count.women,
                men=count.men,
                other=count.other,
                label_y=label_y,
                bar_y=bar_y,
                value_x=round(x + 4, 2),
                value_y=bar_y + BAR_HEIGHT - 3,
                segments=segments,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    legend = [
        {"gender": gender, "label": label, "fill": fill, "x": x, "text_x": x + 14}
        for (gender, label, fill), x in zip(GENDERS, LEGEND_X, strict=True)
    ]
    return BalanceChart(
        rows=rows,
        width=WIDTH,
        height=int(y),
        legend_y=4,
        legend=legend,
        women=sum(r.women for r in rows),
        men=sum(r.men for r in rows),
        other=sum(r.other for r in rows),
        total=sum(r.total for r in rows),
    )
