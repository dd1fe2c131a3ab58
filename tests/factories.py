"""factory_boy factories for the portal's models."""

import datetime as dt

import factory
from django.utils import timezone

from casestudies.models import CaseStudy, CaseStudyOrganisation, Contact, Organisation
from principles.models import Principle


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Extra principle {n}")
    slug = factory.Sequence(lambda n: f"extra-principle-{n}")
    statement = factory.LazyAttribute(lambda p: f"We will practise {p.title.lower()}.")
    position = factory.Sequence(lambda n: 100 + n)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Council number {n}")
    slug = factory.Sequence(lambda n: f"council-number-{n}")
    kind = Organisation.Kind.COUNCIL
    membership = Organisation.Membership.FULL


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact Person {n}")
    role = "Policy officer"
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "01234 567890"


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Case study number {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = "A council and its communities working together."
    body = "<p>What happened, and what was learned.</p>"
    year = 2023
    status = CaseStudy.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=CaseStudy.Status.DRAFT, published_at=None)
        in_review = factory.Trait(status=CaseStudy.Status.IN_REVIEW, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
        )

    @factory.post_generation
    def principles(self, create, extracted, **kwargs):
        if create and extracted:
            self.principles.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contacts.set(extracted)

    @factory.post_generation
    def councils(self, create, extracted, **kwargs):
        for organisation in extracted or []:
            CaseStudyOrganisation.objects.create(
                case_study=self, organisation=organisation, role=CaseStudyOrganisation.Role.COUNCIL
            )

    @factory.post_generation
    def delivered_by(self, create, extracted, **kwargs):
        for organisation in extracted or []:
            CaseStudyOrganisation.objects.create(
                case_study=self,
                organisation=organisation,
                role=CaseStudyOrganisation.Role.DELIVERY,
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class EditorMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casestudies.EditorMembership"

    user = factory.SubFactory(UserFactory, groups=["Member editors"])
    organisation = factory.SubFactory(OrganisationFactory)


def casestudy_admin_data(case_study=None, **changes):
    """The POST data of the case study admin form, as a browser would send it.

    Starts from `case_study` (or a new one), with `changes` applied (use the form's field
    names; `published_at` may be a datetime). `workflow="submit"` (or "publish", "schedule",
    "send_back") presses that workflow button rather than "Save"; the status is not a field.
    """
    data = {
        "title": "A new case study",
        "slug": "a-new-case-study",
        "summary": "What the council did with its communities.",
        "body": "<p>The story.</p>",
        "kind": CaseStudy.Kind.CASE_STUDY,
        "year": "2024",
        "principles": [],
        "themes": "",
        "contacts": [],
        "pull_quote": "",
        "pull_quote_attribution": "",
        "lead_image_alt": "",
        "published_at": None,
        "roles": [],
    }
    if case_study is not None:
        data.update(
            {
                "title": case_study.title,
                "slug": case_study.slug,
                "summary": case_study.summary,
                "body": case_study.body,
                "kind": case_study.kind,
                "year": str(case_study.year or ""),
                "principles": [p.pk for p in case_study.principles.all()],
                "themes": ", ".join(t.name for t in case_study.themes.all()),
                "contacts": [c.pk for c in case_study.contacts.all()],
                "pull_quote": case_study.pull_quote,
                "pull_quote_attribution": case_study.pull_quote_attribution,
                "lead_image_alt": case_study.lead_image_alt,
                "published_at": case_study.published_at,
                "roles": list(case_study.roles.all()),
            }
        )
    data.update(changes)
    step = data.pop("workflow", None)
    if step is not None:
        data["_workflow"] = step
    published_at = data.pop("published_at")
    if published_at is not None:
        local = timezone.localtime(published_at)
        data["published_at_0"] = local.strftime("%d/%m/%Y")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    else:
        data["published_at_0"] = data["published_at_1"] = ""
    roles = data.pop("roles")
    existing = [r for r in roles if getattr(r, "pk", None)]
    data["roles-TOTAL_FORMS"] = str(len(roles))
    data["roles-INITIAL_FORMS"] = str(len(existing))
    for index, role in enumerate(roles):
        if getattr(role, "pk", None):
            data[f"roles-{index}-id"] = role.pk
            data[f"roles-{index}-case_study"] = role.case_study_id
            data[f"roles-{index}-organisation"] = role.organisation_id
            data[f"roles-{index}-role"] = role.role
        else:  # (organisation, role) for a new row
            organisation, role_name = role
            data[f"roles-{index}-organisation"] = organisation.pk
            data[f"roles-{index}-role"] = role_name
    changes_count = case_study.status_changes.count() if case_study is not None else 0
    data["status_changes-TOTAL_FORMS"] = str(changes_count)
    data["status_changes-INITIAL_FORMS"] = str(changes_count)
    return data


def make_ready(case_study):
    """Give `case_study` what publishing needs and the factory leaves out: a principle and the
    council the work was for (it has a summary and a year already). Returns it."""
    if not case_study.principles.exists():
        case_study.principles.add(Principle.objects.order_by("position").first())
    if not case_study.roles.filter(role__in=["council", "lead"]).exists():
        council = OrganisationFactory(name="Publishing Council", slug="publishing-council")
        CaseStudyOrganisation.objects.create(case_study=case_study, organisation=council)
    return case_study


def ready_links(case_study=None):
    """`casestudy_admin_data` changes that give a case study (new, or `case_study` as it is)
    what publishing needs: a principle and a council."""
    principle = Principle.objects.order_by("position").first()
    roles = list(case_study.roles.all()) if case_study is not None else []
    if not any(getattr(r, "role", None) in ("council", "lead") for r in roles):
        council = OrganisationFactory(name="Publishing Council", slug="publishing-council")
        roles.append((council, "council"))
    principles = [p.pk for p in case_study.principles.all()] if case_study is not None else []
    return {"principles": principles or [principle.pk], "roles": roles}
