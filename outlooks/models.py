"""Outlooks' data: the methodology (sections, indicators), country editions, values, history."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asmhub.markdown import render_markdown
from asmhub.taxonomy.models import Country, Theme
from asmhub.validators import CheckedTextModel
from resources.models import Resource


class MethodologyQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


class Methodology(CheckedTextModel):
    """One version of the research method every edition is written to."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_current = models.BooleanField(
        _("current"),
        default=False,
        help_text=_("New editions are written to the current methodology; only one is current."),
    )
    published_at = models.DateField(_("published"), null=True, blank=True)

    objects = MethodologyQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="methodology_one_current",
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class SectionDefinition(CheckedTextModel):
    """A standard section of every edition, with guidance for its authors."""

    methodology = models.ForeignKey(
        Methodology,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("methodology"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance for authors"), blank=True)

    class Meta:
        ordering = ["methodology", "position", "pk"]
        verbose_name = _("section definition")
        verbose_name_plural = _("section definitions")
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "slug"], name="section_definition_slug_once"
            )
        ]

    def __str__(self):
        return self.title


class IndicatorDefinition(CheckedTextModel):
    """A standard indicator: what is measured, in which unit, of which kind."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage")
        YES_NO = "yes-no", _("Yes or no")
        TEXT = "text", _("Text")

    methodology = models.ForeignKey(
        Methodology,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("methodology"),
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Stable across methodology versions, so editions can be compared."),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. people, t/yr"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NUMBER)
    guidance = models.TextField(_("guidance for authors"), blank=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    gender_breakdown = models.BooleanField(
        _("broken down by gender"),
        default=False,
        help_text=_("Authors may give figures for women and men separately."),
    )

    class Meta:
        ordering = ["methodology", "position", "pk"]
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "code"], name="indicator_definition_code_once"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    @property
    def is_numeric(self) -> bool:
        return self.kind in (self.Kind.NUMBER, self.Kind.PERCENTAGE)


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Edition.Status.PUBLISHED)

    def for_country(self, code: str):
        return self.filter(country_id=code)


class Edition(CheckedTextModel):
    """One country's Outlook for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in-review", _("In review")
        RETURNED = "returned", _("Returned to authors")
        PUBLISHED = "published", _("Published")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="outlook_editions",
        verbose_name=_("country"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    methodology = models.ForeignKey(
        Methodology,
        on_delete=models.PROTECT,
        related_name="editions",
        verbose_name=_("methodology version"),
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reviewer_comments = models.TextField(_("reviewer comments"), blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="outlook_editions",
        verbose_name=_("authors"),
        help_text=_("Members of the country's learning group named by its coordinators."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="edition_once_per_year")
        ]
        indexes = [models.Index(fields=["status", "country", "year"], name="edition_status_cy")]

    def __str__(self):
        return self.title or f"{self.country_id} {self.year}"

    def get_absolute_url(self):
        return reverse("outlooks:detail", args=[self.country_id, self.year])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Revision(CheckedTextModel):
    """A published state of an edition, frozen: earlier revisions stay readable as published."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("edition")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    change_note = models.TextField(_("change note"), blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # Title, summary, sections (with rendered HTML) and indicator values as they were published.
    snapshot = models.JSONField(_("snapshot"), editable=False)

    class Meta:
        ordering = ["edition", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="revision_number_once")
        ]

    def __str__(self):
        return f"{self.edition} r{self.number}"


class SectionText(CheckedTextModel):
    """An edition's text for one standard section, written in Markdown."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="section_texts", verbose_name=_("edition")
    )
    section = models.ForeignKey(
        SectionDefinition, on_delete=models.PROTECT, related_name="+", verbose_name=_("section")
    )
    body = models.TextField(
        _("text"), blank=True, max_length=60_000, help_text=_("Markdown: **bold**, lists, links.")
    )

    class Meta:
        ordering = ["edition", "section__position"]
        verbose_name = _("section text")
        verbose_name_plural = _("section texts")
        constraints = [
            models.UniqueConstraint(fields=["edition", "section"], name="section_text_once")
        ]

    def __str__(self):
        return str(self.section)

    @property
    def html(self):
        return render_markdown(self.body, top_heading=3)  # inside the section's own h2


_DECIMAL = {"max_digits": 20, "decimal_places": 4, "null": True, "blank": True}


class IndicatorValue(CheckedTextModel):
    """An edition's figure for one indicator: a value or an estimated range, sourced and rated."""

    class Confidence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="values", verbose_name=_("edition")
    )
    indicator = models.ForeignKey(
        IndicatorDefinition,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(_("value"), **_DECIMAL)
    low = models.DecimalField(
        _("low estimate"), help_text=_("For an estimated range, e.g. 1000000."), **_DECIMAL
    )
    high = models.DecimalField(
        _("high estimate"), help_text=_("For an estimated range, e.g. 1700000."), **_DECIMAL
    )
    women = models.DecimalField(_("women"), **_DECIMAL)
    men = models.DecimalField(_("men"), **_DECIMAL)
    text_value = models.TextField(_("text"), blank=True, max_length=4000)
    yes_no = models.BooleanField(_("yes or no"), null=True, blank=True)
    data_year = models.PositiveSmallIntegerField(
        _("year the data refers to"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    source_resource = models.ForeignKey(
        Resource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source in the library"),
    )
    source_citation = models.CharField(
        _("source citation"),
        max_length=500,
        blank=True,
        help_text=_("Author, title, year, publisher, when the source is not in the library."),
    )
    confidence = models.CharField(
        _("confidence"), max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["edition", "indicator__position"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["edition", "indicator"], name="indicator_value_once"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=models.F("high")),
                name="indicator_value_low_not_above_high",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "edition"], name="indicator_value_ie")]

    def __str__(self):
        return f"{self.indicator}: {self.display}"

    NUMERIC_FIELDS = ("value", "low", "high", "women", "men")

    def clean(self):
        indicator = self.indicator
        kind = indicator.kind
        Kind = IndicatorDefinition.Kind
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        numbers = {f: getattr(self, f) for f in self.NUMERIC_FIELDS}
        if kind in (Kind.NUMBER, Kind.PERCENTAGE):
            for field, number in numbers.items():
                if number is None:
                    continue
                if number < 0:
                    add(field, _("Must be zero or more."))
                elif kind == Kind.PERCENTAGE and number > 100:
                    add(field, _("A percentage must be between 0 and 100."))
            if (self.low is None) != (self.high is None):
                missing = "high" if self.high is None else "low"
                add(missing, _("A range needs both a low and a high estimate."))
            if self.low is not None and self.high is not None and self.low > self.high:
                add("high", _("The high estimate must not be below the low estimate."))
            if self.value is None and (self.low is None or self.high is None):
                add("value", _("Give a value, or a low and a high estimate."))
            if (
                self.value is not None
                and self.low is not None
                and self.high is not None
                and self.low <= self.high
                and not (self.low <= self.value <= self.high)
            ):
                add("value", _("The value must lie within the estimated range."))
            if not indicator.gender_breakdown:
                for field in ("women", "men"):
                    if numbers[field] is not None:
                        add(field, _("This indicator has no breakdown by gender."))
            if self.text_value:
                add("text_value", _("This indicator takes a number, not text."))
            if self.yes_no is not None:
                add("yes_no", _("This indicator takes a number, not yes or no."))
        else:
            for field, number in numbers.items():
                if number is not None:
                    add(field, _("This indicator takes no number."))
            if kind == Kind.YES_NO:
                if self.yes_no is None:
                    add("yes_no", _("Answer yes or no."))
                if self.text_value:
                    add("text_value", _("This indicator takes yes or no, not text."))
            else:
                if not self.text_value.strip():
                    add("text_value", _("Write the answer."))
                if self.yes_no is not None:
                    add("yes_no", _("This indicator takes text, not yes or no."))
        if not self.source_resource_id and not self.source_citation.strip():
            add(
                "source_citation",
                _("Give a source: choose a library resource or write a citation."),
            )
        if errors:
            raise ValidationError(errors)

    # -- display
    @property
    def central(self) -> Decimal | None:
        """The value, or the middle of the range: what charts and changes use."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return None

    @property
    def display(self) -> str:
        from outlooks.formatting import format_value

        return format_value(self.as_dict())

    def as_dict(self) -> dict:
        """The value as stored in revision snapshots and exports (decimals as strings)."""
        resource = self.source_resource
        return {
            "code": self.indicator.code,
            "name": self.indicator.name,
            "unit": self.indicator.unit,
            "kind": self.indicator.kind,
            "value": _str(self.value),
            "low": _str(self.low),
            "high": _str(self.high),
            "women": _str(self.women),
            "men": _str(self.men),
            "text": self.text_value,
            "yes_no": self.yes_no,
            "data_year": self.data_year,
            "source_resource": resource.title if resource else "",
            "source_url": resource.get_absolute_url() if resource else "",
            "source_citation": self.source_citation,
            "confidence": self.confidence,
            "note": self.note,
        }


def _str(number):
    # Fixed-point, without trailing zeros: 1700000, not 1.7E+6 or 1700000.0000.
    return None if number is None else format(number.normalize(), "f")


class EditionEvent(CheckedTextModel):
    """One step in an edition's history: who moved it from which status to which, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to authors")
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        AUTHORS = "authors", _("Authors named")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="events", verbose_name=_("edition")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=Edition.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Edition.Status.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["edition", "at", "pk"]
        verbose_name = _("edition event")
        verbose_name_plural = _("edition events")

    def __str__(self):
        return f"{self.edition}: {self.get_action_display()}"
