"""The organisations of the network and beyond, and the people to contact there."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import TimeStampedModel


class OrganisationQuerySet(models.QuerySet):
    def public(self, now=None):
        """Organisations the public may see: network members, and any organisation taking part
        in a published case study. One in nobody's published work but drafts has no page."""
        # The link and case study models, reached through the relation (they import this one).
        roles = self.model._meta.get_field("roles").related_model
        case_studies = roles._meta.get_field("case_study").related_model
        published = case_studies.objects.published(now).filter(pk=models.OuterRef("case_study"))
        in_published_work = roles.objects.filter(organisation=models.OuterRef("pk")).filter(
            models.Exists(published)
        )
        return self.filter(
            models.Exists(in_published_work) | ~models.Q(membership=Organisation.Membership.NONE)
        )


class Organisation(TimeStampedModel):
    """A council, a partner (such as a consultancy) or another body."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        PARTNER = "partner", "Partner"
        OTHER = "other", "Other"

    class Membership(models.TextChoices):
        FULL = "full", "Full member"
        ASSOCIATE = "associate", "Associate member"
        AFFILIATE = "affiliate", "Affiliate member"
        NONE = "none", "Not a member"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COUNCIL)
    membership = models.CharField(
        "membership tier", max_length=20, choices=Membership.choices, default=Membership.NONE
    )
    website = models.URLField(blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("casestudies:organisation_detail", kwargs={"slug": self.slug})


class Contact(TimeStampedModel):
    """A "For further information" person. Email and phone are public only with consent."""

    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="The organisation this person works for.",
    )
    email = models.EmailField(blank=True)
    email_consent = models.BooleanField(
        "may show email publicly", default=False, help_text="Recorded consent to publish."
    )
    phone = models.CharField(max_length=40, blank=True)
    phone_consent = models.BooleanField(
        "may show phone publicly", default=False, help_text="Recorded consent to publish."
    )
    proposed_changes = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Changes an import read for this person ({field: value, 'source': ...}): "
        "applied only when staff accept them.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organisation"], name="unique_contact_name_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name

    #: What an import may propose to change.
    PROPOSABLE = ("role", "email", "phone")

    def propose(self, source, **values):
        """Keep the values that differ from today's as a proposal for staff; True if any."""
        changes = {
            field: value
            for field, value in values.items()
            if field in self.PROPOSABLE and value and value != getattr(self, field)
        }
        if not changes:
            return False
        self.proposed_changes = {**changes, "source": source}
        self.save(update_fields=["proposed_changes", "updated_at"])
        return True

    def accept_proposed_changes(self):
        for field in self.PROPOSABLE:
            if field in self.proposed_changes:
                setattr(self, field, self.proposed_changes[field])
        self.proposed_changes = {}
        self.save()

    @property
    def public_email(self):
        return self.email if self.email_consent else ""

    @property
    def public_phone(self):
        return self.phone if self.phone_consent else ""
