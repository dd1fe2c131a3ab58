"""The organisations of the network and beyond, and the people to contact there."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from coopnet.urls_kept import kept_reverse

from .base import TimeStampedModel

#: A domain name of at least two labels, such as oldham.gov.uk.
DOMAIN = re.compile(r"(?i)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


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
    email_domains = models.TextField(
        "member email domains",
        blank=True,
        help_text="The email domains of this organisation's staff (such as oldham.gov.uk), "
        "separated by commas or new lines. Anyone with a verified address at one of them may "
        "sign up as a member, while the organisation is a network member.",
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return kept_reverse("casestudies:organisation_detail", slug=self.slug)

    def clean(self):
        """Member email domains must be domain names (oldham.gov.uk), not addresses or URLs."""
        super().clean()
        bad = [
            domain
            for domain in re.split(r"[\s,;]+", self.email_domains or "")
            if domain and not DOMAIN.fullmatch(domain.lstrip("@"))
        ]
        if bad:
            raise ValidationError(
                {"email_domains": f"Not a domain name: {', '.join(bad)}. Write oldham.gov.uk."}
            )

    def public_contacts(self):
        """Its people named on its published case studies: those its page may show (a contact
        only on drafts is nobody's business yet). One query."""
        case_study = Contact._meta.get_field("case_studies").related_model
        return list(
            self.contacts.filter(case_studies__in=case_study.objects.published())
            .select_related("organisation")
            .distinct()
            .order_by("name", "pk")
        )


class Visibility(models.TextChoices):
    """Who sees a contact's email address or phone number: as the contact agreed."""

    EVERYONE = "everyone", "Everyone"
    MEMBERS = "members", "Signed-in members only"
    NOBODY = "nobody", "Nobody"


class Contact(TimeStampedModel):
    """A "For further information" person. Each of their email address and phone number is
    shown to everyone, to signed-in members only, or to nobody, as they agreed."""

    Visibility = Visibility

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
    email_visibility = models.CharField(
        "who sees the email",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.NOBODY,
        help_text="As the person agreed. Members may still write to them through the portal "
        "without seeing the address.",
    )
    phone = models.CharField(max_length=40, blank=True)
    phone_visibility = models.CharField(
        "who sees the phone number",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.NOBODY,
        help_text="As the person agreed.",
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
        """The email address everyone may see (open data, feeds, cached pages): or ""."""
        return self.email if self.email_visibility == Visibility.EVERYONE else ""

    @property
    def public_phone(self):
        return self.phone if self.phone_visibility == Visibility.EVERYONE else ""

    def email_for(self, user):
        """The email address this user may see, or ""."""
        return self.email if _may_see(self.email_visibility, user) else ""

    def phone_for(self, user):
        return self.phone if _may_see(self.phone_visibility, user) else ""

    @property
    def members_see_more(self):
        """True if signing in would show more of this contact than a visitor sees."""
        return (bool(self.email) and self.email_visibility == Visibility.MEMBERS) or (
            bool(self.phone) and self.phone_visibility == Visibility.MEMBERS
        )


def _may_see(visibility, user):
    if visibility == Visibility.EVERYONE:
        return True
    return visibility == Visibility.MEMBERS and user is not None and user.is_authenticated
