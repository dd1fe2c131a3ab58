"""Inviting a member editor in one step: a publisher names an email address and an organisation;
the person follows the emailed link, chooses a password, and is a member editor of that
organisation (staff, in the Member editors group, with an EditorMembership), nothing else to
tick.

The link carries a signed token (it cannot be made up or altered) that expires after
INVITATION_DAYS; the invitation row makes it single-use (`accepted_at`, set under a row lock).
The email goes out in the background like every other, through
`casestudies.notifications.invitations.send_editor_invitation`.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.db import transaction
from django.utils import timezone

from ..models import EditorInvitation, EditorMembership
from .roles import MEMBER_EDITORS_GROUP

INVITATION_DAYS = 7
SALT = "casestudies.editor-invitation"


class InvitationUnusable(Exception):
    """The link cannot be used; the message says why, for the person holding it."""


def token_for(invitation):
    return signing.dumps(invitation.pk, salt=SALT)


def expires_at(invitation):
    return invitation.created_at + dt.timedelta(days=INVITATION_DAYS)


def invitation_for(token):
    """The unused invitation `token` names, or InvitationUnusable saying why not."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise InvitationUnusable(
            f"This invitation has expired: invitations last {INVITATION_DAYS} days. "
            "Ask the publisher who invited you to send a new one."
        ) from None
    except signing.BadSignature:
        raise InvitationUnusable("This is not a valid invitation link.") from None
    invitation = EditorInvitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise InvitationUnusable(
            "This invitation has been withdrawn. Ask a publisher to send a new one."
        )
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            "This invitation has already been used. Sign in with the password you chose."
        )
    return invitation


def email_taken(email):
    """Whether an account already has this address (as its email or its sign-in name)."""
    users = get_user_model()._default_manager
    return (
        users.filter(email__iexact=email).exists() or users.filter(username__iexact=email).exists()
    )


def accept(invitation, password):
    """Make the invited person a member editor of the invitation's organisation, once; returns
    the new user. Raises InvitationUnusable if the invitation was used meanwhile."""
    with transaction.atomic():
        locked = EditorInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if locked is None or locked.accepted_at is not None:
            raise InvitationUnusable("This invitation has already been used.")
        if email_taken(locked.email):
            raise InvitationUnusable(
                "There is already an account with this address. Sign in with it, or ask a "
                "publisher for help."
            )
        user = get_user_model()._default_manager.create_user(
            username=locked.email, email=locked.email, password=password, is_staff=True
        )
        user.groups.add(Group.objects.get(name=MEMBER_EDITORS_GROUP))
        EditorMembership.objects.create(user=user, organisation=locked.organisation)
        locked.accepted_at = timezone.now()
        locked.user = user
        locked.save(update_fields=["accepted_at", "user"])
    return user
