"""How indicator values read to people: thousands separators, ranges, units, missing."""

from decimal import Decimal

from django.utils.translation import gettext as _


def format_number(text: str | None) -> str:
    """'1700000' → '1,700,000'; '12.5' → '12.5'. Works from snapshot strings, quickly (the
    comparison formats thousands of them)."""
    if text is None or text == "":
        return ""
    whole, dot, fraction = str(text).partition(".")
    fraction = fraction.rstrip("0")
    try:
        grouped = f"{int(whole):,}"
    except ValueError:
        return str(text)
    return f"{grouped}.{fraction}" if dot and fraction else grouped


def format_value(item: dict | None, *, with_unit: bool = True) -> str:
    """One value dict (as in snapshots and exports) as text, with its unit. '' when missing."""
    if not item:
        return ""
    kind = item["kind"]
    if kind == "yes-no":
        if item["yes_no"] is None:
            return ""
        return _("Yes") if item["yes_no"] else _("No")
    if kind == "text":
        return item["text"]
    unit = "%" if kind == "percentage" else (" " + item["unit"] if item["unit"] else "")
    if not with_unit and kind != "percentage":
        unit = ""
    if item["low"] is not None and item["high"] is not None:
        span = f"{format_number(item['low'])}–{format_number(item['high'])}{unit}"
        if item["value"] is not None:
            return _("%(value)s (range %(span)s)") % {
                "value": format_number(item["value"]) + unit,
                "span": span,
            }
        return span
    if item["value"] is not None:
        return format_number(item["value"]) + unit
    return ""


def central(item: dict | None) -> Decimal | None:
    """The value, or the middle of the range, as a Decimal: what charts and changes use."""
    if not item:
        return None
    if item.get("value") is not None:
        return Decimal(item["value"])
    if item.get("low") is not None and item.get("high") is not None:
        return (Decimal(item["low"]) + Decimal(item["high"])) / 2
    return None
