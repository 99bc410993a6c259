"""A glossary term: one concept of the sector with its words in the programme's languages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The glossary's languages, in the order they are shown.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("sw", _("Swahili")),
]
SEPARATOR = ";"


class Term(models.Model):
    """Each language field holds one or more equivalents separated by semicolons."""

    en = models.CharField(_("English"), max_length=200, unique=True)
    es = models.CharField(_("Spanish"), max_length=200, blank=True)
    fr = models.CharField(_("French"), max_length=200, blank=True)
    pt = models.CharField(_("Portuguese"), max_length=200, blank=True)
    sw = models.CharField(_("Swahili"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("A short definition or usage."))
    expand_search = models.BooleanField(
        _("expand searches"),
        default=True,
        help_text=_("Searches containing one of these words also look for the others."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["en"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.headword

    @property
    def headword(self) -> str:
        return self.variants("en")[0] if self.variants("en") else self.en

    def variants(self, language: str) -> list[str]:
        """The equivalents in one language ("résidus; rejets" → ["résidus", "rejets"])."""
        raw = getattr(self, language, "") or ""
        return [v.strip() for v in raw.split(SEPARATOR) if v.strip()]

    def all_variants(self) -> list[tuple[str, str]]:
        """(language, word) for every equivalent, in LANGUAGES order."""
        return [(code, word) for code, _name in LANGUAGES for word in self.variants(code)]

    @property
    def all_by_code(self) -> list[tuple[str, list[str]]]:
        """(language code, equivalents) for display, in LANGUAGES order."""
        return [(code, self.variants(code)) for code, _name in LANGUAGES]
