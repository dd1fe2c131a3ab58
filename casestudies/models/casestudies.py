"""Case studies: their themes, their organisations' parts, their workflow's steps."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from coopnet.urls_kept import kept_reverse
from principles.models import Principle

from .base import TimeStampedModel
from .editors import editor_organisation, is_publisher
from .organisations import Contact, Organisation
from .repetition import repeats_body
from .richtext import sanitise_html


class ThemeQuerySet(models.QuerySet):
    def public(self):
        """Themes of at least one published case study (others are not shown to the public)."""
        published = CaseStudy.objects.published().filter(pk=models.OuterRef("content_object"))
        # A scalar subquery (not EXISTS, which PostgreSQL would flatten into a join over every
        # case study): each theme stops at its first published case study.
        first = ThemedCaseStudy.objects.filter(tag=models.OuterRef("pk")).filter(
            models.Exists(published)
        )
        return self.alias(first_public=models.Subquery(first.values("pk")[:1])).filter(
            first_public__isnull=False
        )


class Theme(TagBase):
    """A theme a case study is about ("Health and wellbeing", "COVID-19")."""

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return kept_reverse("casestudies:casestudy_list") + f"?theme={self.slug}"


class ThemedCaseStudy(TaggedItemBase):
    """The link between a case study and one of its themes."""

    tag = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="tagged_items", help_text="The theme."
    )
    content_object = models.ForeignKey(
        "CaseStudy", on_delete=models.CASCADE, help_text="The case study."
    )

    class Meta:
        indexes = [
            # Theme filter and facet counts read this index alone (index-only scans).
            models.Index(fields=["tag", "content_object"], name="themed_tag_case_study"),
            # Theme facet counts from a set of case studies, also without the table itself.
            models.Index(fields=["content_object", "tag"], name="themed_case_study_tag"),
        ]


#: The longest body, in characters: some fifty times the longest write-up so far.
BODY_MAX_LENGTH = 300_000


class CaseStudyQuerySet(models.QuerySet):
    def published(self, now=None):
        """The only case studies the public may see: published, and not scheduled for later."""
        return self.filter(
            status=CaseStudy.Status.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=now or timezone.now(),
        )

    @staticmethod
    def card_prefetches():
        """What a case study card shows beyond its own fields: principles and organisations."""
        return [
            "principles",
            models.Prefetch(
                "roles",
                queryset=CaseStudyOrganisation.objects.select_related("organisation"),
            ),
        ]

    def for_listing(self, with_body=False):
        """Case studies for list cards: without the search document, and without the body (some
        6 KB a case study) unless `with_body`, for a search's excerpts. casestudies.discovery.cards
        fetches the principles and organisations of the cards it has to render."""
        return self.defer("search_vector") if with_body else self.defer("body", "search_vector")

    def for_detail(self):
        """Everything a case study's page (or its API entry, or its CSV row) shows. (The page
        takes its principles, organisations and themes from casestudies.discovery: it reads
        only `with_contacts`.)"""
        return self.prefetch_related(*self.card_prefetches(), "themes").with_contacts()

    def with_contacts(self):
        return self.prefetch_related(
            models.Prefetch("contacts", queryset=Contact.objects.select_related("organisation"))
        )

    def meeting_principles(self, principles, match_all=True):
        """Case studies meeting all (or any) of `principles`, without duplicate rows."""
        principles = list(principles)
        if not principles:
            return self
        links = CaseStudy.principles.through.objects.filter(casestudy=models.OuterRef("pk"))
        if match_all:
            qs = self
            for principle in principles:
                qs = qs.filter(models.Exists(links.filter(principle=principle)))
            return qs
        return self.filter(models.Exists(links.filter(principle__in=principles)))

    def involving(self, organisation):
        """Case studies `organisation` took part in, in any role, without duplicate rows."""
        return self.filter(
            models.Exists(
                CaseStudyOrganisation.objects.filter(
                    case_study=models.OuterRef("pk"), organisation=organisation
                )
            )
        )

    def tagged(self, theme):
        """Case studies about `theme`, without duplicate rows."""
        return self.filter(
            models.Exists(
                ThemedCaseStudy.objects.filter(content_object=models.OuterRef("pk"), tag=theme)
            )
        )

    def contains_every_word(self, query):
        """Case studies containing every word of `query` in any of their searchable texts."""
        qs = self
        for word in query.split()[:20]:
            qs = qs.filter(
                models.Q(title__icontains=word)
                | models.Q(summary__icontains=word)
                | models.Q(body__icontains=word)
                | models.Q(pk__in=CaseStudy.objects.filter(organisations__name__icontains=word))
                | models.Q(pk__in=CaseStudy.objects.filter(contacts__name__icontains=word))
                | models.Q(pk__in=CaseStudy.objects.filter(themes__name__icontains=word))
            )
        return qs

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def visible_to(self, user):
        """Case studies `user` may see in staff pages (admin, preview), whatever their status.

        Publishers see everything; a member editor sees the case studies in which their
        organisation has a role; anyone else sees nothing.
        """
        if is_publisher(user):
            return self
        organisation = editor_organisation(user)
        if organisation is None:
            return self.none()
        return self.filter(
            pk__in=CaseStudyOrganisation.objects.filter(organisation=organisation).values(
                "case_study"
            )
        )

    def waiting_for_review(self):
        """The publishers' review queue: submitted case studies, oldest first."""
        return self.filter(status=CaseStudy.Status.IN_REVIEW).order_by("updated_at", "pk")

    def oldest_first(self):
        return self.order_by("published_at", "pk")

    def by_title(self):
        return self.order_by("title", "pk")


class CaseStudyVersionLinks(models.Model):
    """What each kept version of a case study remembers beyond its fields, principles and
    contacts: its themes and its organisations' roles (filled in by
    casestudies/publishing/history.py)."""

    # None in versions kept before these were recorded: reverting to one leaves them as they are.
    theme_names = models.JSONField(null=True, blank=True, editable=False)
    organisation_roles = models.JSONField(
        null=True, blank=True, editable=False, help_text="[[organisation id, role], ...]"
    )

    class Meta:
        abstract = True


# Every version keeps the fields, the principles met and the contacts (simple-history) and the
# themes and organisation roles (CaseStudyVersionLinks, see casestudies/publishing/history.py);
# the admin reverts all of them. Kept here so that history.py can record a version itself.
class CaseStudyHistoricalRecords(HistoricalRecords):
    """simple-history's records, kept for a change of principles or contacts made from their
    side too (`principle.case_studies.add(case_study)`, in a shell or an import): simple-history
    would record it on the principle, which has no such history (AttributeError). Here each
    case study the change touched gets its version, as for a change from its own side."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":  # which case studies the clear is about to touch
            instance._history_cleared = set(
                self.cls._default_manager.filter(**{attr: instance}).values_list("pk", flat=True)
            )
            return None
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_history_cleared", set())
        elif action not in ("post_add", "post_remove"):
            return None
        for case_study in self.cls._default_manager.filter(pk__in=pk_set or ()):
            super().m2m_changed(case_study, action, attr, None, False, **kwargs)
        return None


CASE_STUDY_HISTORY = CaseStudyHistoricalRecords(
    excluded_fields=["created_at", "updated_at", "text_updated_at", "search_vector"],
    m2m_fields=["principles", "contacts"],
    bases=[CaseStudyVersionLinks],
)


class CaseStudy(TimeStampedModel):
    """A write-up of a piece of co-operative work, and the principles it meets."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", "Case study"
        POLICY_LAB = "policy_lab", "Policy Lab"
        PROTOTYPE = "prototype", "Prototype"

    title = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=250,
        unique=True,
        help_text="Part of the address: /case-studies/the-slug/. Filled in from the title; "
        "lowercase letters, numbers and hyphens.",
    )
    summary = models.TextField(
        max_length=600,
        help_text="Plain text, one or two sentences: used in listings, feeds and search results.",
    )
    body = models.TextField(
        blank=True,
        help_text="Rich text. Unsafe HTML is removed on save.",
        # Well within what PostgreSQL's search document can hold (1 MB of words): a longer body
        # is a form error that keeps the text, not a failed save.
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CASE_STUDY)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the work took place."
    )
    programme_status = models.CharField(
        max_length=100,
        blank=True,
        help_text="Policy Labs and prototypes: the programme's status as the source gives it "
        "(such as 'Policy Labs' or 'Prototype in development').",
    )
    pull_quote = models.TextField(blank=True)
    pull_quote_attribution = models.CharField(max_length=250, blank=True)
    lead_image = models.ImageField(
        upload_to="case-studies/%Y/",
        blank=True,
        help_text="Optional. A JPEG, PNG or WebP photograph, at least 600 pixels wide, "
        "at most 5 MB. Smaller sizes for phones are made automatically.",
    )
    lead_image_alt = models.CharField(
        "lead image alt text",
        max_length=250,
        blank=True,
        help_text="Required with an image: what the image shows, for people who cannot see it.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        db_index=True,
        help_text="A date in the future schedules publication.",
    )
    principles = models.ManyToManyField(
        Principle,
        related_name="case_studies",
        blank=True,
        help_text="The co-operative principles this work meets.",
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="CaseStudyOrganisation",
        related_name="case_studies",
        blank=True,
        help_text="Councils the work was for and organisations that delivered it.",
    )
    contacts = models.ManyToManyField(
        Contact,
        related_name="case_studies",
        blank=True,
        help_text="People to contact for further information.",
    )
    themes = TaggableManager(
        "themes",
        through=ThemedCaseStudy,
        blank=True,
        related_name="case_studies",
        help_text="A comma-separated list of themes, such as: Health and wellbeing, COVID-19.",
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Weighted search document (PostgreSQL only), kept up to date by signals.",
    )
    text_updated_at = models.DateTimeField(
        "text last edited",
        null=True,
        blank=True,
        editable=False,
        help_text="When the title, summary, body or pull quote last changed after the case "
        "study was first saved: the 'Updated' date readers see. Unlike updated_at, a change of "
        "status, principles or contacts (or reloading the demo) leaves it alone.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who created the case study.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who last changed the case study.",
    )

    objects = CaseStudyQuerySet.as_manager()
    history = CASE_STUDY_HISTORY

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "case studies"
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["year"], name="casestudy_year"),
            models.Index(fields=["title", "id"], name="casestudy_title_order"),
            # Created on PostgreSQL only (see migration 0004).
            GinIndex(fields=["search_vector"], name="casestudy_search_vector"),
        ]
        permissions = [
            ("publish_casestudy", "Can publish, unpublish and schedule case studies"),
        ]

    def __str__(self):
        return self.title

    #: What readers read: a change to one of these is an edit of the text ("Updated" on the page).
    TEXT_FIELDS = ("title", "summary", "body", "pull_quote", "pull_quote_attribution")

    def _saved_texts(self):
        """The text fields as the database holds them (None for a new case study): from when
        the instance was loaded, or one query for an instance that was not (a reverted version)."""
        if hasattr(self, "_loaded_texts"):
            return self._loaded_texts
        if self.pk is None:
            return None
        return CaseStudy.objects.filter(pk=self.pk).values(*self.TEXT_FIELDS).first()

    def _mark_text_edit(self, kwargs):
        """Stamp text_updated_at when a saved case study's text changes; a field not loaded
        (deferred) is not being changed."""
        before = self._saved_texts()
        if not before:
            return
        update_fields = kwargs.get("update_fields")
        fields = [
            name
            for name in self.TEXT_FIELDS
            if name in self.__dict__
            and name in before
            and (update_fields is None or name in update_fields)
        ]
        if any(getattr(self, name) != before[name] for name in fields):
            self.text_updated_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "text_updated_at"}

    def save(self, *args, **kwargs):
        """Save, sanitising the body, stamping an edit of the text and recording any change of
        status (by `updated_by`)."""
        self.body = sanitise_html(self.body)
        self._mark_text_edit(kwargs)
        if hasattr(self, "_saved_status"):
            previous = self._saved_status
        elif self.pk:  # an instance not loaded from the database, such as a reverted version
            previous = CaseStudy.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        else:
            previous = None
        super().save(*args, **kwargs)
        self._loaded_texts = {
            name: getattr(self, name) for name in self.TEXT_FIELDS if name in self.__dict__
        }
        if previous != self.status:
            StatusChange.objects.create(
                case_study=self,
                from_status=previous or "",
                to_status=self.status,
                changed_by=self.updated_by,
                publication_date=self.published_at,
                comment=getattr(self, "_status_comment", ""),
            )
            self._saved_status = self.status

    def get_absolute_url(self):
        return kept_reverse("casestudies:casestudy_detail", slug=self.slug)

    def get_kind_display(self):
        """The kind's label, as Django's own method gives it, without the dictionary of every
        choice that it makes on each call (a list's cards call it twenty times a page)."""
        return _KIND_LABELS.get(self.kind, self.kind)

    @property
    def pull_quote_to_show(self):
        """The pull quote, unless the body already says it (then the page would repeat it)."""
        if not self.pull_quote or repeats_body(self.pull_quote, self.body):
            return ""
        return self.pull_quote

    @property
    def text_edited_at(self):
        """When the text was edited after publication, for "Updated": None when it was not
        edited, or only on the day it was published."""
        edited, published = self.text_updated_at, self.published_at
        if edited is None or published is None:
            return None
        return edited if timezone.localdate(edited) > timezone.localdate(published) else None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_status = instance.__dict__.get("status")
        instance._loaded_texts = {
            name: instance.__dict__[name] for name in cls.TEXT_FIELDS if name in instance.__dict__
        }
        return instance

    def clean(self):
        super().clean()
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": "Describe the image for people who cannot see it."}
            )

    def has_undecided_statements(self):
        """Whether an import left principle statements that staff have not yet decided on."""
        return self.unrecognised_statements.filter(dismissed_at__isnull=True).exists()

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def get_preview_url(self):
        return reverse("casestudies:casestudy_preview", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def organisations_in_role(self, role):
        """Organisations in `role`, read from the prefetched roles where there are any."""
        return [link.organisation for link in self.roles.all() if link.role == role]

    @property
    def councils(self):
        return self.organisations_in_role(CaseStudyOrganisation.Role.COUNCIL)

    @property
    def delivered_by(self):
        return self.organisations_in_role(CaseStudyOrganisation.Role.DELIVERY)

    @property
    def lead_members(self):
        return self.organisations_in_role(CaseStudyOrganisation.Role.LEAD)

    @property
    def participating_members(self):
        return self.organisations_in_role(CaseStudyOrganisation.Role.PARTICIPANT)


_KIND_LABELS = dict(CaseStudy.Kind.choices)


class CaseStudyAwaitingReview(CaseStudy):
    """The publishers' review queue in the admin: case studies submitted for review."""

    class Meta:
        proxy = True
        verbose_name = "case study awaiting review"
        verbose_name_plural = "review queue"


class CaseStudyOrganisation(models.Model):
    """An organisation's part in a case study: the council it was for, who delivered it, or, in
    a programme (a Policy Lab, a prototype), its lead member or one of its participating
    members."""

    class Role(models.TextChoices):
        COUNCIL = "council", "Council the work was for"
        DELIVERY = "delivery", "Delivered by"
        LEAD = "lead", "Lead member"  # of a programme: a Policy Lab, a prototype
        PARTICIPANT = "participant", "Participating member"

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="roles", help_text="The case study."
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="roles",
        help_text="The organisation taking part.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COUNCIL)

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = "organisation role"
        indexes = [
            # Organisation filter and facet counts read this index alone (index-only scans).
            models.Index(fields=["organisation", "case_study"], name="role_organisation_case_study")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "organisation", "role"],
                name="unique_organisation_role_per_case_study",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_role_display()}"


class StatusChange(models.Model):
    """One step of a case study's workflow: who moved it from which status to which, and when."""

    case_study = models.ForeignKey(
        CaseStudy,
        on_delete=models.CASCADE,
        related_name="status_changes",
        help_text="The case study whose status changed.",
    )
    from_status = models.CharField(
        max_length=20,
        choices=CaseStudy.Status.choices,
        blank=True,
        help_text="Empty when the case study was created.",
    )
    to_status = models.CharField(max_length=20, choices=CaseStudy.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who changed the status (empty for commands such as imports).",
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    publication_date = models.DateTimeField(
        null=True, blank=True, help_text="The publication date at the time of the change."
    )
    comment = models.TextField(
        blank=True,
        help_text="Why: a publisher's note to the editor when sending a case study back.",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"

    def __str__(self):
        before = self.get_from_status_display() or "new"
        return f"{self.case_study}: {before} \u2192 {self.get_to_status_display()}"

    def get_absolute_url(self):
        return self.case_study.get_absolute_url()

    @property
    def scheduled(self):
        return (
            self.to_status == CaseStudy.Status.PUBLISHED
            and self.publication_date is not None
            and self.publication_date > self.changed_at
        )
