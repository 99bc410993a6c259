"""The shared vocabulary every component tags its content with; data, editable by curators."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asmhub.validators import CheckedTextModel


class CountryQuerySet(models.QuerySet):
    def programme(self):
        return self.filter(is_programme_country=True)


class Country(CheckedTextModel):
    """A country, keyed by its ISO 3166-1 alpha-2 code (the code is what URLs and facets use)."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    is_programme_country = models.BooleanField(
        _("programme country"),
        default=False,
        help_text=_("Countries where the knowledge programme works; listed first everywhere."),
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("country_detail", args=[self.code])


class Region(CheckedTextModel):
    """A group of countries (East Africa, Andean region…) used for geographic scope."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    countries = models.ManyToManyField(Country, related_name="regions", verbose_name=_("countries"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Language(CheckedTextModel):
    """A language, keyed by its ISO 639-1 code."""

    code = models.CharField(_("ISO code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name


class Term(CheckedTextModel):
    """A named term of a small, curated, ordered vocabulary."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Commodity(Term):
    class Meta(Term.Meta):
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")


class Theme(Term):
    class Meta(Term.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class StakeholderType(Term):
    class Meta(Term.Meta):
        verbose_name = _("stakeholder type")
        verbose_name_plural = _("stakeholder types")
