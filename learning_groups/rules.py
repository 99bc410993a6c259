"""Who may do what in a learning group: the one place views and every service ask.

Group workspaces are private: anyone who may not see a thing (a non-member, a member asking
for a coordinator's page, another group's id under this group's slug) gets 404, never 403,
so nobody learns what exists. This holds for curators too, who look after groups through the
admin. Views open things with the `access_*` helpers; services check their acting user with
the `require_*` ones, so the admin, tasks and tests cannot go around them.
"""

from asmhub.access import Refused, require

from .models import ActionItem, GroupDocument, Meeting, Membership

# ------------------------------------------------------------------ predicates


def membership_in(user, group_id: int) -> Membership | None:
    """The user's current membership of the group (read now: leaving takes effect at once)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(group_id=group_id, user=user).first()


def require_member(user, group_id: int) -> Membership:
    membership = membership_in(user, group_id)
    require(membership is not None)
    return membership


def require_coordinator(user, group_id: int) -> Membership:
    membership = membership_in(user, group_id)
    require(membership is not None and membership.is_coordinator)
    return membership


def can_change_action(membership: Membership, item: ActionItem) -> bool:
    """Owners tick off their own items; coordinators may close or reopen any."""
    return membership.is_coordinator or item.owner_id == membership.user_id


def can_delete_document(membership: Membership, document: GroupDocument) -> bool:
    return membership.is_coordinator or document.uploaded_by_id == membership.user_id


def can_remove(membership: Membership, target: Membership) -> bool:
    """Coordinators remove members; anyone may remove themselves (leave)."""
    return membership.is_coordinator or target.pk == membership.pk


# ------------------------------------------------------------------ access (views)


def access_group(*, user, slug: str, coordinator: bool = False):
    """The group and the user's membership, or Http404 for anyone not entitled to see it."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise Refused
    membership = (
        Membership.objects.select_related("group", "group__country")
        .filter(group__slug=slug, user=user)
        .first()
    )
    if membership is None or (coordinator and not membership.is_coordinator):
        raise Refused
    return membership.group, membership


def access_meeting(*, user, slug: str, meeting_id: int, coordinator: bool = False):
    """(group, membership, meeting): a meeting of this group only, never another group's."""
    group, membership = access_group(user=user, slug=slug, coordinator=coordinator)
    meeting = Meeting.objects.filter(group=group, pk=meeting_id).first()
    if meeting is None:
        raise Refused
    meeting.group = group  # already loaded: saves a query per URL built
    return group, membership, meeting


def access_document(*, user, slug: str, document_id: int, coordinator: bool = False):
    group, membership = access_group(user=user, slug=slug, coordinator=coordinator)
    document = group.documents.filter(pk=document_id).select_related("output").first()
    if document is None:
        raise Refused
    document.group = group
    return group, membership, document


def access_action_item(*, user, slug: str, item_id: int):
    """An action item the user may change (its owner, or a coordinator); 404 otherwise."""
    group, membership = access_group(user=user, slug=slug)
    item = group.action_items.filter(pk=item_id).first()
    if item is None or not can_change_action(membership, item):
        raise Refused
    item.group = group
    return group, membership, item


def access_membership(*, group, membership_id: int) -> Membership:
    """Another membership of the same group (for coordinators' and leaving pages)."""
    found = group.memberships.select_related("user__profile").filter(pk=membership_id).first()
    if found is None:
        raise Refused
    found.group = group
    return found
