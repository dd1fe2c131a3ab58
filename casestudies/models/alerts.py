"""Email alerts: a saved case-study list (its filters, as the list's query string) and the
address its digests go to.

A member's alert goes to the address of their account (confirmed when they signed up); a
visitor's to the address they gave, once they have followed the link sent to it (double
opt-in). The digest sender (casestudies/notifications/alerts.py) moves `covered_until` forward
as it goes, so no case study is sent twice to one alert.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        """Alerts whose address is confirmed: the only ones digests go to."""
        return self.filter(confirmed_at__isnull=False)


class Alert(models.Model):
    """ "Email me new case studies like these": one saved list, one address, one frequency."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    #: Not public content: saving an alert never changes the content version.
    is_public_content = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_study_alerts",
        help_text="The member whose alert it is (their account's address receives it); empty "
        "for a visitor's alert.",
    )
    email = models.EmailField(
        blank=True, help_text="A visitor's alert: the address that asked for it."
    )
    query = models.CharField(
        max_length=2000,
        help_text="The list's filters, as its query string (principle=...&theme=...).",
    )
    description = models.CharField(
        max_length=1000, help_text="The filters in words, as the list shows them."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last confirmation link was sent."
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the address was confirmed: digests start then."
    )
    covered_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Case studies that became public up to this moment have been considered.",
    )
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last digest was sent."
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "query"],
                condition=Q(user__isnull=False),
                name="one_alert_per_member_and_list",
            ),
            models.UniqueConstraint(
                fields=["email", "query"],
                condition=Q(user__isnull=True),
                name="one_alert_per_address_and_list",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="alert_has_an_address"
            ),
        ]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="alert_due")]

    def __str__(self):
        return f"{self.description or 'All case studies'} ({self.get_frequency_display()})"

    @property
    def address(self):
        """Where the digests go: the member's current address, or the visitor's."""
        return self.user.email if self.user_id else self.email
