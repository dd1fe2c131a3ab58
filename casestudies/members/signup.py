"""Who may sign up as a member: an address at a member organisation's email domain, or the
address a publisher invited (a signed link, valid MEMBER_INVITATION_DAYS, used once)."""

import re

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from ..models import MemberInvitation, Organisation
from ..notifications.email import send_email

INVITATION_SALT = "casestudies.members.invitation"
#: Where a valid invitation's id waits in the session between the link and the sign-up form.
SESSION_KEY = "member_invitation"


def parse_domains(text):
    """The domains in an organisation's `email_domains`: lower case, no "@", no blanks."""
    return {d.strip().lower().lstrip("@") for d in re.split(r"[\s,;]+", text or "") if d.strip()}


def member_domains():
    """Every email domain of a network member organisation."""
    domains = set()
    texts = (
        Organisation.objects.exclude(membership=Organisation.Membership.NONE)
        .exclude(email_domains="")
        .values_list("email_domains", flat=True)
    )
    for text in texts:
        domains |= parse_domains(text)
    return domains


def domain_of(email):
    return email.rpartition("@")[2].strip().lower()


def at_member_domain(email):
    return domain_of(email) in member_domains()


# Invitations ---------------------------------------------------------------------------------


def invitation_token(invitation):
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token):
    """The pending invitation a link's token names, or None (forged, expired or used)."""
    try:
        pk = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.MEMBER_INVITATION_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return MemberInvitation.objects.filter(pk=pk, accepted_at__isnull=True).first()


def send_invitation(invitation, request):
    """Email the sign-up link (in the background)."""
    link = request.build_absolute_uri(
        reverse("members:invitation", kwargs={"token": invitation_token(invitation)})
    )
    send_email(
        to=[invitation.email],
        subject="An invitation to join the Co-operative Councils case studies",
        template="members/invitation",
        context={"link": link, "days": settings.MEMBER_INVITATION_DAYS},
    )


def invited_email(request):
    """The address of the invitation this session followed (its link was valid then), or None.

    Still answered once the invitation is accepted: allauth checks the address again after the
    account is saved. Addresses are unique, so it makes one account at most."""
    pk = request.session.get(SESSION_KEY) if request is not None else None
    if pk is None:
        return None
    invitation = MemberInvitation.objects.filter(pk=pk).first()
    return invitation.email.lower() if invitation else None


def may_sign_up(email, request):
    """Whether this address may make an account, in this session."""
    email = email.strip().lower()
    return at_member_domain(email) or invited_email(request) == email


def accept_invitation(request, email):
    """Mark the session's invitation used, if the account was made for its address: its link
    works no more."""
    pk = request.session.get(SESSION_KEY) if request is not None else None
    if pk is not None:
        MemberInvitation.objects.filter(
            pk=pk, email__iexact=email, accepted_at__isnull=True
        ).update(accepted_at=timezone.now())
