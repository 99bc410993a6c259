"""Learning groups: members and roles, invitations, meetings, action items, documents, activity."""

import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asmhub.taxonomy.models import Country
from asmhub.uploads import download_filename, extension_for, random_upload_name
from asmhub.validators import CheckedTextModel, validate_time_zone


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class LearningGroupQuerySet(models.QuerySet):
    def for_country(self, code: str):
        return self.filter(country_id=code)

    def with_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class LearningGroup(CheckedTextModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="learning_groups",
        verbose_name=_("country"),
    )
    description = models.TextField(
        _("public description"), help_text=_("Shown to everyone, members or not.")
    )
    accepts_join_requests = models.BooleanField(_("accepts join requests"), default=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Meetings are entered and shown in this time zone, e.g. Africa/Dar_es_Salaam."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LearningGroupQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("learning group")
        verbose_name_plural = _("learning groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("learning_groups:detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class MembershipQuerySet(models.QuerySet):
    def coordinators(self):
        return self.filter(role=Membership.Role.COORDINATOR)


class Membership(CheckedTextModel):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")

    class Emails(models.TextChoices):
        EVERY = "every", _("Every email")
        WEEKLY = "weekly", _("A weekly digest")
        NONE = "none", _("None")

    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    emails = models.CharField(
        _("emails"), max_length=8, choices=Emails.choices, default=Emails.EVERY
    )
    # The secret in the member's calendar-feed URL (calendar apps cannot sign in); resettable.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "-role", "joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_once_per_group")
        ]
        indexes = [
            models.Index(fields=["group", "role", "joined_at"], name="membership_group_role")
        ]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.get_role_display()})"

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def calendar_url(self) -> str:
        """The member's secret calendar-feed path (calendar apps cannot sign in)."""
        return reverse("learning_groups:calendar_feed", args=[self.group.slug, self.calendar_token])


def invitation_expiry():
    return timezone.now() + timedelta(days=Invitation.VALID_DAYS)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked=False, expires_at__gt=timezone.now())


class Invitation(CheckedTextModel):
    """An emailed, signed, expiring, single-use link to join a group (sign-up allowed first)."""

    VALID_DAYS = 14
    SIGNING_SALT = "learning_groups.invitation"

    group = models.ForeignKey(
        LearningGroup, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("group")
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=12, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    message = models.TextField(_("personal message"), blank=True, max_length=2000)
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked = models.BooleanField(_("withdrawn"), default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.group}"

    def get_absolute_url(self):
        return reverse("learning_groups:invitation", args=[self.key])

    @property
    def key(self) -> str:
        """The signed value in the emailed link: the token, tamper-proof and dated."""
        return signing.dumps(self.token, salt=self.SIGNING_SALT, compress=True)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None


class JoinRequest(CheckedTextModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a coordinator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_join_requests",
        verbose_name=_("user"),
    )
    message = models.TextField(_("message to the coordinators"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.group} ({self.get_status_display()})"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=Meeting.Status.PLANNED, ends_at__gte=timezone.now()).order_by(
            "starts_at"
        )

    def past(self):
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")


class Meeting(CheckedTextModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(
        LearningGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    # Stored in UTC; entered and shown in the group's time zone.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    # Bumped on every change so that calendar apps replace the entry (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
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

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["group", "starts_at"], name="meeting_group_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning_groups:meeting", args=[self.group.slug, self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
        if self.status != self.Status.CANCELLED and not (self.place or self.online_link):
            raise ValidationError(
                {"place": _("Give a place, an online link, or both, so people know where to go.")}
            )

    @property
    def uid(self) -> str:
        return f"meeting-{self.pk}@asmhub"


class Attendance(CheckedTextModel):
    """A member's answer for one meeting; no row means invited, not answered yet."""

    class Response(models.TextChoices):
        INVITED = "invited", _("Invited")
        WILL_ATTEND = "will-attend", _("Will attend")
        APOLOGIES = "apologies", _("Apologies")
        ATTENDED = "attended", _("Attended")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_attendances",
        verbose_name=_("member"),
    )
    response = models.CharField(
        _("response"), max_length=12, choices=Response.choices, default=Response.INVITED
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once_per_meeting")
        ]

    def __str__(self):
        return f"{self.user}: {self.get_response_display()}"


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionItem.Status.OPEN)


class ActionItem(CheckedTextModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("group"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("agreed at"),
    )
    what = models.CharField(_("what"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_action_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["group", "status"], name="action_item_group_status")]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.what


class GroupDocument(CheckedTextModel):
    """A working document private to its group, served only through an access-checking view."""

    group = models.ForeignKey(
        LearningGroup, on_delete=models.CASCADE, related_name="documents", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=random_upload_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-uploaded_at", "-id"], name="document_group_recent")
        ]
        verbose_name = _("group document")
        verbose_name_plural = _("group documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning_groups:document_download", args=[self.group.slug, self.pk])

    @property
    def download_name(self) -> str:
        """Its title with the checked type's extension, never the uploader's own file name."""
        return download_filename(self.title, extension_for(self.content_type))


class GroupOutput(CheckedTextModel):
    """A group document published to the library (it enters curators' review there)."""

    document = models.OneToOneField(
        GroupDocument, on_delete=models.CASCADE, related_name="output", verbose_name=_("document")
    )
    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.CASCADE,
        related_name="group_outputs",
        verbose_name=_("resource"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("group output")
        verbose_name_plural = _("group outputs")

    def __str__(self):
        return str(self.resource)


class Activity(CheckedTextModel):
    """Who did what in a group, for "recent activity", the weekly digest and the record."""

    class Verb(models.TextChoices):
        JOINED = "joined", _("joined the group")
        LEFT = "left", _("left the group")
        REMOVED = "removed", _("removed a member")
        ROLE_CHANGED = "role-changed", _("changed a member's role")
        INVITED = "invited", _("sent an invitation")
        REQUEST_DECIDED = "request-decided", _("answered a join request")
        MEETING_SCHEDULED = "meeting-scheduled", _("scheduled a meeting")
        MEETING_CHANGED = "meeting-changed", _("changed a meeting")
        MEETING_CANCELLED = "meeting-cancelled", _("cancelled a meeting")
        MINUTES_RECORDED = "minutes-recorded", _("recorded minutes")
        ACTION_ASSIGNED = "action-assigned", _("recorded an action item")
        ACTION_CLOSED = "action-closed", _("closed an action item")
        DOCUMENT_UPLOADED = "document-uploaded", _("uploaded a document")
        DOCUMENT_PUBLISHED = "document-published", _("published a document to the library")
        DOCUMENT_DELETED = "document-deleted", _("deleted a document")

    group = models.ForeignKey(
        LearningGroup, on_delete=models.CASCADE, related_name="activities", verbose_name=_("group")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    verb = models.CharField(_("what"), max_length=24, choices=Verb.choices)
    # What it was about, in words (a meeting title, "Amani Mushi: member → coordinator").
    subject = models.CharField(_("about"), max_length=300, blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["group", "-created_at", "-id"], name="activity_group_recent")
        ]

    def __str__(self):
        return f"{self.actor} {self.get_verb_display()} {self.subject}"
