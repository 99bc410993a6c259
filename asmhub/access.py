"""Who may do what across the hub: the one definition of a curator, and the one refusal.

Anything private answers 404 to anyone who may not see it, so its existence is not leaked.
Every app's `access_*` helpers and every service refuse the same way, with `Refused` (an
Http404): views need not translate anything, Django answers 404, and the admin, tasks and
tests can tell a refusal from a missing row when they need to.
"""

from django.http import Http404

CURATORS_GROUP = "Curators"


class Refused(Http404):
    """The acting user may not see or do this; answered as 404, like something missing."""


def refuse(message: str = "Not found") -> None:
    raise Refused(message)


def require(allowed: bool, message: str = "Not found") -> None:
    if not allowed:
        raise Refused(message)


def is_curator(user) -> bool:
    """Programme staff: active staff accounts in the Curators group (or superusers).

    Staff without the group are not curators: being able to sign in to the admin is not the
    right to review, publish or see private content. The answer is kept on the user object
    for the request (it is asked several times per page).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_asmhub_is_curator", None)
    if cached is None:
        # .all() so that a prefetch of the user's groups is used when there is one.
        cached = any(group.name == CURATORS_GROUP for group in user.groups.all())
        user._asmhub_is_curator = cached
    return cached
