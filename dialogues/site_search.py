"""The hub-wide search's dialogue results: public, published records only."""

from .selectors import search_dialogues


def search_section(request, query) -> dict | None:
    found = search_dialogues(query=query)
    if not found:
        return None
    return {"template": "dialogues/_search_section.html", "dialogues": found, "query": query}
