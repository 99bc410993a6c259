"""Resources (reports, briefs, toolkits…) and their files: the library's data and invariants."""

from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from asmhub.access import is_curator
from asmhub.profiles.models import Organisation
from asmhub.taxonomy.models import Commodity, Country, Language, Region, Theme
from asmhub.uploads import download_filename, extension_for, random_upload_name
from asmhub.validators import CheckedTextModel
from resources.doi import doi_url, normalise_doi

# Paths under /resources/ that are pages, not resources: no resource may take these slugs.
RESERVED_SLUGS = frozenset({"submit", "mine", "feed", "edit", "download", "search"})
# Marks a slug given to a submission until its publication (resources.services): slugify
# never makes "--", so no title's slug can look provisional.
PROVISIONAL_SLUG_MARK = "--"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Resource.Status.PUBLISHED)

    def pending_review(self):
        return self.filter(status=Resource.Status.PENDING)

    def featured(self):
        return self.published().filter(featured=True)

    def submitted_by(self, user):
        return self.filter(submitted_by=user)

    def for_country(self, code: str, *, include_wider: bool = False):
        """Resources about a country; with include_wider, also its regions' and global ones."""
        about = Q(countries__code=code)
        if include_wider:
            about |= Q(scope=Resource.Scope.REGIONAL, regions__countries__code=code)
            about |= Q(scope=Resource.Scope.GLOBAL)
        # A subquery keeps one row per resource whatever the joins match.
        return self.filter(pk__in=Resource.objects.filter(about).values("pk"))

    def visible_to(self, user):
        """Published ones, plus the user's own submissions; curators see everything."""
        if is_curator(user):
            return self
        if user.is_authenticated:
            return self.filter(Q(status=Resource.Status.PUBLISHED) | Q(submitted_by=user))
        return self.published()


class Resource(CheckedTextModel):
    class Type(models.TextChoices):
        REPORT = "report", _("Report")
        POLICY_BRIEF = "policy-brief", _("Policy brief")
        TOOLKIT = "toolkit", _("Toolkit or guide")
        CASE_STUDY = "case-study", _("Case study")
        LEGISLATION = "legislation", _("Legislation or policy")
        DATASET = "dataset", _("Dataset")
        TRAINING = "training", _("Training material")
        MEDIA = "media", _("Video or audio")
        ARTICLE = "article", _("News or article")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Scope(models.TextChoices):
        COUNTRIES = "countries", _("Specific countries")
        REGIONAL = "regional", _("A region")
        GLOBAL = "global", _("Global")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"))
    resource_type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.REPORT
    )
    scope = models.CharField(
        _("geographic scope"), max_length=10, choices=Scope.choices, default=Scope.COUNTRIES
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="resources", verbose_name=_("countries")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="resources", verbose_name=_("regions")
    )
    commodities = models.ManyToManyField(
        Commodity, blank=True, related_name="resources", verbose_name=_("commodities")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="resources", verbose_name=_("themes")
    )
    languages = models.ManyToManyField(
        Language,
        blank=True,
        related_name="resources",
        verbose_name=_("languages"),
        help_text=_("Languages the resource is available in."),
    )
    tags = TaggableManager(_("tags"), blank=True)
    authors = models.CharField(
        _("authors"), max_length=500, blank=True, help_text=_("Separate several with semicolons.")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("publishing organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        default="",
        db_default="",  # rows inserted in SQL (imports, benchmark seeds) need no value
        help_text=_("The Digital Object Identifier, if the resource has one, e.g. 10.1234/abcd."),
    )
    external_url = models.URLField(_("external link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_resources",
        verbose_name=_("submitted by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_resources",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    # Maintained by resources.search (on save and after text extraction), never by hand.
    search_vector = SearchVectorField(null=True, editable=False)
    # --- search
    # Ranking inputs (resources.search.RANK): the vector of the title, summary, tags, authors
    # and organisation alone when the resource also has file text (NULL otherwise: the
    # search vector is then that already), and the resource's length normalisation.
    rank_vector = SearchVectorField(null=True, editable=False)
    rank_norm = models.FloatField(default=1.0, db_default=1.0, editable=False)
    # The text search configuration of the resource's language (set with the vector), so
    # snippets are highlighted with the same stemming the vector was built with.
    search_config = models.CharField(max_length=20, default="asm_simple", editable=False)
    # Denormalised facet tokens ("country:TZ", "theme:child-labour", "year:2024"…) with a GIN
    # index: filtering and counting every facet then reads one column, not seven joins.
    facets = ArrayField(models.CharField(max_length=150), default=list, blank=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            GinIndex(fields=["search_vector"], name="resource_search_gin"),
            models.Index(fields=["status", "-published_at"], name="resource_status_published"),
            # Finding a resource by DOI (duplicate checks, imports): only those that have one.
            models.Index(fields=["doi"], name="resource_doi", condition=~Q(doi="")),
            # OAI-PMH harvests page through the public record in (datestamp, id) order.
            models.Index(
                fields=["updated_at", "id"],
                name="resource_oai_datestamp",
                condition=Q(published_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900),
                name="resource_year_plausible",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.slug])

    def clean(self):
        errors = {}
        try:
            self.doi = normalise_doi(self.doi)
        except ValidationError as error:
            errors["doi"] = error.messages
        if self.year and self.year > timezone.now().year:
            errors["year"] = _("The year cannot be in the future.")
        if self.external_url and urlsplit(self.external_url).scheme.lower() not in {
            "http",
            "https",
        }:
            errors["external_url"] = _("Enter a web address starting with http:// or https://.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is reserved; choose another slug.")
        if errors:
            raise ValidationError(errors)

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.split(";") if name.strip()]

    @property
    def doi_url(self) -> str:
        return doi_url(self.doi)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ResourceFile(CheckedTextModel):
    """One uploaded file of a resource (a language version, an annex…).

    It has no status of its own: whether anyone may download it always follows its resource.
    """

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Waiting for text extraction")
        DONE = "done", _("Text extracted")
        NO_TEXT = "no-text", _("No text extracted")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="files", verbose_name=_("resource")
    )
    file = models.FileField(_("file"), upload_to=random_upload_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    language = models.ForeignKey(
        Language,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language"),
    )
    label = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("e.g. Full report, Annex, Summary")
    )
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=Extraction.choices,
        default=Extraction.PENDING,
        editable=False,
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return self.label or self.original_name

    def get_absolute_url(self):
        return reverse("resources:download_file", args=[self.resource.slug, self.pk])

    @property
    def extension(self) -> str:
        """What the content check found it to be (the stored name carries it)."""
        return PurePath(self.file.name or "").suffix.lstrip(".").lower()

    @property
    def type_label(self) -> str:
        return self.extension.upper()

    @property
    def download_name(self) -> str:
        """The resource's title (and this file's label), with the checked type's extension.

        Never the uploader's file name, which may claim another type ("minutes.hta").
        """
        title = self.resource.title
        if self.label:
            title = f"{title} - {self.label}"
        return download_filename(title, extension_for(self.content_type))


class SearchLogEntry(models.Model):
    """How often a search was made in a month, for curators: the words, filters, language and
    how many results it found. Never who searched: no user, no IP address.

    One row per (month, words, filters, language), counted up in batches (resources.search_log);
    rows older than 13 months are rolled up per month and words (`aggregated`).
    """

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    words = models.CharField(_("words"), max_length=200)
    filters = models.CharField(_("filters"), max_length=500, blank=True)
    language = models.CharField(_("page language"), max_length=10, blank=True)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveIntegerField(_("results (latest)"), default=0)
    aggregated = models.BooleanField(_("rolled up"), default=False)

    class Meta:
        ordering = ["-month", "-searches"]
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "words", "filters", "language"], name="search_log_one_row"
            )
        ]
        indexes = [models.Index(fields=["month", "-searches"], name="search_log_top")]

    def __str__(self):
        return self.words


class SearchChampion(models.Model):
    """One entry of a frequent word's champion list: a resource where the word weighs most.

    The tables are created by migration 0053 in SQL (an INCLUDE index and a deferred cascading
    foreign key the ORM cannot spell) and read and written in SQL by resources.search and
    resources.selectors. The models exist so Django knows the tables: a database flush (the
    transactional tests) must empty them together with the resources they point at.
    """

    pk = models.CompositePrimaryKey("lexeme", "resource")
    lexeme = models.TextField()
    # The database cascades deletes (ON DELETE CASCADE); the ORM need not collect the rows.
    resource = models.ForeignKey(
        Resource, on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    impact = models.FloatField()

    class Meta:
        db_table = "resources_search_champion"

    def __str__(self):
        return f"{self.lexeme}: {self.resource_id}"


class SearchChampionList(models.Model):
    """A frequent word that has a champion list, and the bound on every resource left out."""

    lexeme = models.TextField(primary_key=True)
    floor = models.FloatField()

    class Meta:
        db_table = "resources_search_champion_list"

    def __str__(self):
        return self.lexeme
