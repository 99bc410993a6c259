"""Reads of the glossary: the public list, and the equivalents of the terms a search contains.

The search side is called on every library search, so it reads an in-process index of every
term's words (a few hundred), rebuilt at most every INDEX_SECONDS or when a term changes in
this process: looking up a query costs no SQL query.
"""

import re
import time
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from asmhub.glossary.models import LANGUAGES, Term

INDEX_SECONDS = 60
MAX_WORDS = 6  # the longest equivalent looked for, in words
# Words that are search operators when typed ("gold or silver"): never read as a term.
OPERATORS = {"or"}

_index: dict | None = None
_built_at = 0.0


@dataclass(frozen=True)
class Equivalent:
    text: str
    language: str  # code (en, es, fr, pt, sw)


def fold(text: str) -> str:
    """Lower case, accents removed, words joined by one space: how words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain))


def forget_index() -> None:
    global _index
    _index = None


def _term_index() -> dict[str, list[list[tuple[str, str]]]]:
    """folded word → the variant lists of the terms it belongs to."""
    global _index, _built_at
    if _index is None or time.monotonic() - _built_at > INDEX_SECONDS:
        index: dict[str, list] = {}
        for term in Term.objects.filter(expand_search=True):
            variants = term.all_variants()
            for _code, word in variants:
                key = fold(word)
                if key and key not in OPERATORS:
                    index.setdefault(key, []).append(variants)
        _index, _built_at = index, time.monotonic()
    return _index


def expansions(text: str) -> list[Equivalent]:
    """The other-language equivalents of the glossary terms the text contains.

    The longest terms win ("artisanal gold mining" is one term, not also "gold"); excluded
    words ("-gold") and the words typed themselves are left out.
    """
    wanted = " ".join(t for t in text.split() if not t.startswith("-"))
    words = fold(wanted).split()
    if not words:
        return []
    typed = f" {' '.join(words)} "
    index = _term_index()
    found: list[Equivalent] = []
    seen, covered = set(), set()
    for size in range(min(MAX_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            matches = index.get(" ".join(words[start : start + size]))
            if not matches or span & covered:
                continue
            covered |= span
            for variants in matches:
                for code, word in variants:
                    key = fold(word)
                    if key in OPERATORS or (key, code) in seen or f" {key} " in typed:
                        continue
                    seen.add((key, code))
                    found.append(Equivalent(word, code))
    return found


def glossary_terms(*, query: str = "", language: str = ""):
    """Terms for the public page, optionally those whose words contain `query`."""
    terms = Term.objects.all()
    if query:
        condition = Q()
        for code, _name in LANGUAGES:
            condition |= Q(**{f"{code}__unaccent__icontains": query})
        terms = terms.filter(condition)
    return terms
