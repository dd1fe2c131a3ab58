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
