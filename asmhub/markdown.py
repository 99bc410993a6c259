"""Markdown that people type (agendas, minutes, Outlook sections) to sanitised HTML."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# Raw HTML in the source is escaped by the parser; nh3 then keeps only these tags, so
# nothing one person types can run in another's browser (or in the PDF renderer): no
# scripts, no event handlers, no javascript: links.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAGS = {
    "p", "br", "hr", "ul", "ol", "li", "strong", "em",
    "blockquote", "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text: str, *, top_heading: int = 1) -> SafeString:
    """Sanitised HTML; headings above `top_heading` (e.g. 3 inside a page's h2 sections) drop
    to their text, so typed headings never outrank the page's own."""
    if not text:
        return mark_safe("")
    headings = {f"h{level}" for level in range(top_heading, 7)}
    clean = nh3.clean(
        _parser.render(text),
        tags=_TAGS | headings,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
