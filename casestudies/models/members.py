"""Members: what a signed-in member keeps (saved case studies), the invitations staff send to
people outside the member organisations' email domains, and the log of messages members send
to contacts ("Ask about this work").

A member is any signed-in user: allauth lets nobody sign in before their address is verified.
Who may sign up is decided in `casestudies/members/` (the organisations' email domains, or an
invitation).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SavedCaseStudy(models.Model):
    """A case study a member saved to read again, listed on their account page."""

    #: Not public content: saving never changes the content version.
    is_public_content = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_case_studies"
    )
    case_study = models.ForeignKey(
        "casestudies.CaseStudy", on_delete=models.CASCADE, related_name="saved_by"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name_plural = "saved case studies"
        constraints = [
            models.UniqueConstraint(fields=["user", "case_study"], name="save_a_case_study_once")
        ]

    def __str__(self):
        return f"{self.case_study} saved by {self.user}"


class MemberInvitation(models.Model):
    """A sign-up link a publisher sent to someone whose address is not at a member
    organisation's domain. The link carries this record's id, signed; it expires after
    `MEMBER_INVITATION_DAYS` and works once."""

    #: Not public content: an invitation never changes the content version.
    is_public_content = False

    email = models.EmailField(help_text="The address the sign-up link is sent to.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The publisher who sent it.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the invited person signed up with the link."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Invitation to {self.email}"


class ContactMessage(models.Model):
    """One member's message to one contact, for abuse handling: who, when, to whom, about what;
    never the text. One row per contact the message went to; `submission` is the form's own
    id, so the same form sent twice (a double click, a replayed POST) sends nothing twice."""

    #: Not public content: the log never changes the content version.
    is_public_content = False

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_messages",
    )
    contact = models.ForeignKey(
        "casestudies.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages_received",
    )
    case_study = models.ForeignKey(
        "casestudies.CaseStudy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The case study the message asked about (or none, for an organisation).",
    )
    organisation = models.ForeignKey(
        "casestudies.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organisation the message asked about, from its page.",
    )
    submission = models.UUIDField(help_text="The form's id: one message per form.")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "message to a contact"
        verbose_name_plural = "messages to contacts"
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "contact"], name="one_message_per_submission_and_contact"
            )
        ]

    def __str__(self):
        return f"Message to {self.contact or 'a removed contact'} on {self.sent_at:%Y-%m-%d %H:%M}"
