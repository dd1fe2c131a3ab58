"""The email inviting someone to be a member editor (casestudies/publishing/invitations.py makes
the invitation and its link; this sends it, in the background like every email)."""

from ..publishing.invitations import INVITATION_DAYS
from .email import send_email


def send_editor_invitation(invitation, accept_url):
    """Queue the invitation's email to the invited address."""
    inviter = invitation.invited_by
    send_email(
        to=[invitation.email],
        subject=f"You are invited to edit {invitation.organisation.name}'s case studies",
        template="editor_invitation",
        context={
            "organisation": invitation.organisation.name,
            "invited_by": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "accept_url": accept_url,
            "days": INVITATION_DAYS,
        },
    )
