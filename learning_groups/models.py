"""Learning groups and their memberships (meetings, documents and invitations build on these)."""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asmhub.taxonomy.models import Country


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class LearningGroupQuerySet(models.QuerySet):
    def for_country(self, code: str):
        return self.filter(country_id=code)

    def with_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class LearningGroup(models.Model):
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
        validators=[_validate_time_zone],
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


class MembershipQuerySet(models.QuerySet):
    def coordinators(self):
        return self.filter(role=Membership.Role.COORDINATOR)


class Membership(models.Model):
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

    def __str__(self):
        return f"{self.user} in {self.group} ({self.get_role_display()})"

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR
