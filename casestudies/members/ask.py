""" "Ask about this work": a member's message to the contacts of a case study or organisation.

Each contact with an email address gets their own email (so no contact sees another's
address, and the member sees none), sent in the background with the member's address as
reply-to. Each is logged (ContactMessage: who, when, to whom, about what; never the text).

Rate limits are counted from that log, not from the cache: the log must be written anyway, it
is shared by every worker and server, it survives a restart, and it cannot silently stop
counting (the Redis cache ignores errors, so a cache-based limit would lift itself whenever
Redis is down). A member's sends are serialised by locking their user row, so two requests at
once cannot both slip under the limit.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ContactMessage
from ..notifications.email import send_email

ALREADY_SENT = "This message has already been sent: it was not sent again."
NOBODY_TO_WRITE_TO = "Nobody here can be written to: no contact has an email address."
#: The longest message, in characters (the form says so).
MAX_MESSAGE_CHARS = 3000


class AskRefused(Exception):
    """The message was not sent; the text says why, for the member, and `status` is the
    page's HTTP status (400 nobody to write to, 409 already sent, 429 too many)."""

    def __init__(self, text, status):
        super().__init__(text)
        self.status = status


def contacts_with_email(contacts):
    return [contact for contact in contacts if contact.email]


def limits():
    return {
        "member": (settings.ASK_MESSAGES_PER_MEMBER, dt.timedelta(hours=24)),
        "contact": (settings.ASK_MESSAGES_PER_CONTACT, dt.timedelta(hours=24)),
    }


def send_question(
    *, member, contacts, message, submission, about, about_url, case_study=None, organisation=None
):
    """Send `message` to every contact with an email address; returns how many were written.

    Raises AskRefused when no contact has an address, the same form was already sent, or a
    rate limit is reached. Nothing is logged or sent unless everything can be.
    """
    recipients = contacts_with_email(contacts)
    if not recipients:
        raise AskRefused(NOBODY_TO_WRITE_TO, 400)
    now = timezone.now()
    (member_limit, member_window), (contact_limit, contact_window) = limits().values()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        if ContactMessage.objects.filter(submission=submission).exists():
            raise AskRefused(ALREADY_SENT, 409)
        sent_by_member = (
            ContactMessage.objects.filter(sender=member, sent_at__gte=now - member_window)
            .values("submission")
            .distinct()
            .count()
        )
        if sent_by_member >= member_limit:
            raise AskRefused(
                f"You have sent {member_limit} messages in the last day, the most we allow. "
                "Please try again tomorrow.",
                429,
            )
        for contact in recipients:
            received = ContactMessage.objects.filter(
                contact=contact, sent_at__gte=now - contact_window
            ).count()
            if received >= contact_limit:
                raise AskRefused(
                    f"{contact.name} has received many messages today. Please try again tomorrow.",
                    429,
                )
        try:
            with transaction.atomic():
                ContactMessage.objects.bulk_create(
                    ContactMessage(
                        sender=member,
                        contact=contact,
                        case_study=case_study,
                        organisation=organisation,
                        submission=submission,
                        sent_at=now,
                    )
                    for contact in recipients
                )
        except IntegrityError:
            raise AskRefused(ALREADY_SENT, 409) from None
        sender_name = member.get_full_name() or member.email
        for contact in recipients:
            send_email(
                to=[contact.email],
                subject=f"A question about {about} from a Co-operative Councils member",
                template="members/question",
                context={
                    "contact_name": contact.name,
                    "sender_name": sender_name,
                    "sender_email": member.email,
                    "about": about,
                    "about_url": about_url,
                    "message": message,
                },
                reply_to=[member.email],
            )
    return len(recipients)
