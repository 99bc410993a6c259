"""Dialogue records: series, events, who took part, sessions, papers, outcomes and follow-ups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from asmhub.access import is_curator
from asmhub.profiles.models import Organisation
from asmhub.taxonomy.models import Country, StakeholderType, Theme
from asmhub.validators import CheckedTextModel, validate_time_zone

NOT_NEGATIVE = MinValueValidator(0, message=_("A number of participants cannot be negative."))


class DialogueSeries(CheckedTextModel):
    """Dialogues held one after another on one contentious issue."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("dialogue series")
        verbose_name_plural = _("dialogue series")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:series", args=[self.slug])


class DialogueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def public(self):
        return self.filter(visibility=Dialogue.Visibility.PUBLIC)

    def for_country(self, code: str):
        # A subquery keeps one row per dialogue whatever other joins the caller adds.
        return self.filter(
            pk__in=Dialogue.countries.through.objects.filter(country_id=code).values("dialogue_id")
        )

    def visible_to(self, user):
        """Published public dialogues; restricted ones only to the people named on them.

        Curators see everything, published or not.
        """
        if is_curator(user):
            return self
        published = self.published()
        if not user.is_authenticated:
            return published.public()
        allowed = Dialogue.allowed_users.through.objects.filter(user_id=user.pk).values(
            "dialogue_id"
        )
        return published.filter(Q(visibility=Dialogue.Visibility.PUBLIC) | Q(pk__in=allowed))

    def upcoming(self, today):
        return self.filter(start_date__gte=today).order_by("start_date", "pk")

    def past(self, today):
        return self.filter(start_date__lt=today).order_by("-start_date", "-pk")


class Dialogue(CheckedTextModel):
    """One dialogue event: the contentious issue, who came, what was agreed, what followed."""

    class Scope(models.TextChoices):
        INTERNATIONAL = "international", _("International")
        NATIONAL = "national", _("National")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        REPORT_PUBLISHED = "report-published", _("Report published")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        RESTRICTED = "restricted", _("Restricted")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    issue = models.CharField(
        _("contentious issue"),
        max_length=400,
        help_text=_("The contentious issue the dialogue works on, in one sentence."),
    )
    series = models.ForeignKey(
        DialogueSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogues",
        verbose_name=_("series"),
    )
    scope = models.CharField(
        _("scope"), max_length=15, choices=Scope.choices, default=Scope.NATIONAL
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="dialogues", verbose_name=_("countries")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="dialogues", verbose_name=_("themes")
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Leave empty for a one-day dialogue.")
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("City and country, or “Online”.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Session times are shown in this time zone, e.g. Africa/Dar_es_Salaam."),
    )
    co_chairs = models.CharField(
        _("co-chairs"),
        max_length=400,
        blank=True,
        help_text=_("Names, or roles where names may not be published."),
    )
    convening_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="convened_dialogues",
        verbose_name=_("convening organisations"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("A restricted record is seen only by curators and the people named below."),
    )
    allowed_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("who may see it when restricted"),
    )
    participants_total = models.IntegerField(
        _("total participants"),
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text=_("Optional: the participation counts below must add up to it."),
    )
    outcome_summary = models.TextField(
        _("summary of the discussion"),
        blank=True,
        help_text=_("Non-attributed (Chatham House rule): no statement is tied to a person."),
    )
    key_agreements = models.TextField(_("key agreements"), blank=True)
    continued_disagreements = models.TextField(_("points of continued disagreement"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only curators may publish a record.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DialogueQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        permissions = [("publish_dialogue", _("Can publish dialogue records"))]
        indexes = [
            models.Index(fields=["is_published", "visibility", "-start_date"], name="dialogue_list")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="dialogue_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(participants_total__isnull=True) | Q(participants_total__gte=0),
                name="dialogue_total_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:detail", args=[self.slug])

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})

    @property
    def is_restricted(self) -> bool:
        return self.visibility == self.Visibility.RESTRICTED


class ParticipationCount(CheckedTextModel):
    """How many people of one stakeholder type took part, by gender (numbers, not names)."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="participation", verbose_name=_("dialogue")
    )
    stakeholder_type = models.ForeignKey(
        StakeholderType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stakeholder type"),
    )
    women = models.IntegerField(_("women"), default=0, validators=[NOT_NEGATIVE])
    men = models.IntegerField(_("men"), default=0, validators=[NOT_NEGATIVE])
    other = models.IntegerField(_("other or not recorded"), default=0, validators=[NOT_NEGATIVE])
    total = models.IntegerField(
        _("stated total"),
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text=_("Optional: checked against women + men + other."),
    )

    class Meta:
        ordering = ["stakeholder_type__position", "stakeholder_type__name"]
        verbose_name = _("participation count")
        verbose_name_plural = _("participation counts")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "stakeholder_type"], name="participation_once_per_type"
            ),
            models.CheckConstraint(
                condition=Q(women__gte=0) & Q(men__gte=0) & Q(other__gte=0),
                name="participation_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.stakeholder_type}: {self.breakdown_total}"

    @property
    def breakdown_total(self) -> int:
        return (self.women or 0) + (self.men or 0) + (self.other or 0)

    def clean(self):
        if self.total is not None and self.total != self.breakdown_total:
            raise ValidationError(
                {
                    "total": _(
                        "Women, men and other add up to %(sum)d, not the stated total "
                        "%(total)d. Correct the numbers or the total."
                    )
                    % {"sum": self.breakdown_total, "total": self.total}
                }
            )


class NamedParticipant(CheckedTextModel):
    """Someone who took part and agreed to be named; without consent the name is never shown."""

    dialogue = models.ForeignKey(
        Dialogue,
        on_delete=models.CASCADE,
        related_name="named_participants",
        verbose_name=_("dialogue"),
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_type = models.ForeignKey(
        StakeholderType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder type"),
    )
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_("e.g. Co-chair, Speaker, Rapporteur")
    )
    consent_to_publish = models.BooleanField(
        _("agreed to be named"),
        default=False,
        help_text=_("Only participants who agreed are shown on the public record."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("named participant")
        verbose_name_plural = _("named participants")

    def __str__(self):
        return self.name


class Session(CheckedTextModel):
    """One part of a dialogue's programme."""

    class Format(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        PANEL = "panel", _("Panel")
        WORKING_GROUPS = "working-groups", _("Working groups")
        ROUND_TABLE = "round-table", _("Round table")
        FIELD_VISIT = "field-visit", _("Field visit")
        OTHER = "other", _("Other")

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("dialogue")
    )
    starts_at = models.DateTimeField(_("starts at"))
    title = models.CharField(_("title"), max_length=250)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.PLENARY
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.title


class DialogueResource(CheckedTextModel):
    """A library resource linked to a dialogue: a background paper, the summary, an output."""

    class Kind(models.TextChoices):
        BACKGROUND = "background", _("Background paper")
        SUMMARY = "summary", _("Co-chairs' summary")
        OUTPUT = "output", _("Output")

    dialogue = models.ForeignKey(
        Dialogue,
        on_delete=models.CASCADE,
        related_name="resource_links",
        verbose_name=_("dialogue"),
    )
    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.CASCADE,
        related_name="dialogue_links",
        verbose_name=_("resource"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BACKGROUND)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("linked resource")
        verbose_name_plural = _("linked resources")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "resource", "kind"], name="dialogue_resource_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.resource}"

    @property
    def resource_url(self) -> str:
        # The library's pages are built alongside this app; until they are routed, fall back
        # to the resource's external link so a dialogue page never fails on a missing route.
        try:
            return self.resource.get_absolute_url()
        except NoReverseMatch:
            return self.resource.external_url


class FollowUpStatus(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    STALLED = "stalled", _("Stalled")


class FollowUpAction(CheckedTextModel):
    """Something a dialogue agreed should happen, by whom and when; tracked by dated updates."""

    dialogue = models.ForeignKey(
        Dialogue,
        on_delete=models.CASCADE,
        related_name="follow_up_actions",
        verbose_name=_("dialogue"),
    )
    description = models.CharField(_("what"), max_length=500)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    stakeholder_type = models.ForeignKey(
        StakeholderType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible stakeholder group"),
    )
    responsible = models.CharField(
        _("who (in words)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “Ministry of Minerals with the miners' federations”."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.description

    def clean(self):
        if not (self.organisation_id or self.stakeholder_type_id or self.responsible):
            raise ValidationError(
                _("Say who is responsible: an organisation, a stakeholder group, or in words.")
            )

    @property
    def who(self) -> str:
        if self.responsible:
            return self.responsible
        return str(self.organisation or self.stakeholder_type or "")

    @property
    def current_status(self) -> str:
        """The status of the latest update (by date, then entry order); not started if none."""
        if hasattr(self, "latest_status"):  # annotated by the selectors
            return self.latest_status or FollowUpStatus.NOT_STARTED
        updates = list(self.updates.all())  # ordered (or prefetched) oldest first
        return updates[-1].status if updates else FollowUpStatus.NOT_STARTED

    def get_current_status_display(self) -> str:
        return FollowUpStatus(self.current_status).label


class FollowUpUpdate(CheckedTextModel):
    """A dated note on how a follow-up action stands; the latest one is its current status."""

    action = models.ForeignKey(
        FollowUpAction, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action")
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=FollowUpStatus.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        # Two updates on one day keep the order they were entered in.
        ordering = ["date", "created_at", "pk"]
        get_latest_by = ["date", "created_at", "pk"]
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")

    def __str__(self):
        return f"{self.date}: {self.get_status_display()}"
