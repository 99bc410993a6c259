"""Who may do what with an edition: one place, used by selectors, services, views and tests."""

from asmhub.access import is_curator
from learning_groups.models import Membership

__all__ = ["is_curator"]  # the kernel's, re-exported for this app's callers


def is_coordinator(user, country_code: str) -> bool:
    """A coordinator of a learning group of that country."""
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.coordinators().filter(user=user, group__country_id=country_code).exists()
    )


def is_member(user, country_code: str) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, group__country_id=country_code).exists()


def is_author(user, edition) -> bool:
    if not user.is_authenticated or edition.pk is None:
        return False
    return edition.authors.filter(pk=user.pk).exists()


def can_write(user, edition) -> bool:
    """Coordinators of the country's group and the authors they named (status aside)."""
    return is_coordinator(user, edition.country_id) or is_author(user, edition)


def can_view(user, edition) -> bool:
    if edition.is_published:
        return True
    return is_curator(user) or can_write(user, edition)


def can_edit(user, edition) -> bool:
    """Drafts and returned editions, by their writers; published ones only through a correction."""
    return edition.is_editable and can_write(user, edition)


def can_review(user, edition) -> bool:
    return is_curator(user)
