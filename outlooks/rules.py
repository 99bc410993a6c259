"""Who may do what with an edition: one place, used by selectors, services, views and tests.

Writing an edition follows the country's learning group as it is now: coordinators of the
group, and the authors they named while those authors are still members. Leaving the group
(or losing the coordinator role) ends the right at once, on every page, export and service.
Anyone who may not see an edition gets 404, so drafts are not leaked.
"""

from django.db.models import Exists, OuterRef, Q

from asmhub.access import Refused, is_curator
from learning_groups.models import Membership
from outlooks.models import Edition

__all__ = ["is_curator"]  # the kernel's, re-exported for this app's callers


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_coordinator(user, country_code: str) -> bool:
    """A coordinator of a learning group of that country, now."""
    if not _active(user):
        return False
    return (
        Membership.objects.coordinators().filter(user=user, group__country_id=country_code).exists()
    )


def is_member(user, country_code: str) -> bool:
    if not _active(user):
        return False
    return Membership.objects.filter(user=user, group__country_id=country_code).exists()


def is_author(user, edition) -> bool:
    """Named among the edition's authors AND still a member of the country's group."""
    if not _active(user) or edition.pk is None:
        return False
    return edition.authors.filter(
        pk=user.pk, group_memberships__group__country_id=edition.country_id
    ).exists()


def can_write(user, edition) -> bool:
    """Coordinators of the country's group and the authors they named (status aside)."""
    return is_coordinator(user, edition.country_id) or is_author(user, edition)


def can_create(user, country_code: str) -> bool:
    return is_curator(user) or is_coordinator(user, country_code)


def can_name_authors(user, edition) -> bool:
    return is_curator(user) or is_coordinator(user, edition.country_id)


def can_view(user, edition) -> bool:
    if edition.is_published:
        return True
    return is_curator(user) or can_write(user, edition)


def can_edit(user, edition) -> bool:
    """Drafts and returned editions, by their writers; published ones only through a correction."""
    return edition.is_editable and can_write(user, edition)


def can_review(user, edition) -> bool:
    return is_curator(user)


def can_correct(user, edition) -> bool:
    return edition.is_published and is_curator(user)


def editions_writable_by(user, queryset=None):
    """The editions this user may write (by the same rule as can_write), as one query."""
    queryset = Edition.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.none()
    mine = Membership.objects.filter(user=user, group__country_id=OuterRef("country_id"))
    return queryset.filter(
        Exists(mine.filter(role=Membership.Role.COORDINATOR)) | (Q(authors=user) & Exists(mine))
    ).distinct()


def access_edition(*, user, country_code: str, year: int, for_write: bool = False) -> Edition:
    """The edition if this user may see it (for_write: write it now, or correct it as a
    curator); 404 otherwise."""
    edition = (
        Edition.objects.select_related("country", "methodology")
        .filter(country_id=country_code.upper(), year=year)
        .first()
    )
    if edition is None or not can_view(user, edition):
        raise Refused
    if for_write and not (can_edit(user, edition) or can_correct(user, edition)):
        raise Refused
    return edition
