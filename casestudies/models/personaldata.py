"""What the portal remembers about requests concerning personal data: who exported or erased
whose data, and when; never the data itself.

An erasure is recorded by the kind and database id of the person it concerned, so that a
publisher restoring an older backup can find and erase the person again, and by how many
records of each kind were removed, so that the record says what was done without saying
anything about the person.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone


class PersonalDataRequest(models.Model):
    """One export or erasure of a person's data, done by a publisher in the admin."""

    class Action(models.TextChoices):
        EXPORT = "export", "Export"
        ERASURE = "erasure", "Erasure"

    class Subject(models.TextChoices):
        CONTACT = "contact", "Contact"
        MEMBER = "member", "Member account"

    #: Not public content: recording a request never changes the content version.
    is_public_content = False

    action = models.CharField(max_length=10, choices=Action.choices)
    subject_kind = models.CharField("whose data", max_length=10, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField(
        help_text="The database id the person had (a contact's or a user account's): no name, "
        "no address."
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The publisher who exported or erased the data.",
    )
    handled_at = models.DateTimeField(default=timezone.now, db_index=True)
    removed = models.JSONField(
        default=dict,
        blank=True,
        help_text="Erasures: how many records of each kind were removed ({kind: count}).",
    )

    class Meta:
        ordering = ["-handled_at", "-pk"]
        verbose_name = "personal data request"

    def __str__(self):
        return (
            f"{self.get_action_display()} of {self.get_subject_kind_display().lower()} "
            f"#{self.subject_id} on {self.handled_at:%Y-%m-%d}"
        )


class MemberAccount(User):
    """Members' accounts, as publishers see them to answer a request about personal data (the
    admin's list of them; the user admin itself is for superusers)."""

    class Meta:
        proxy = True
        ordering = ["username"]
        verbose_name = "member account"
