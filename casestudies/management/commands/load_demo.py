"""Load the demo content: the network's first two case studies and the people behind them.

Safe to run again: it updates what is there instead of adding copies.
"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from casestudies.content.writeups import match_principle, parse_writeup
from casestudies.models import CaseStudy, CaseStudyOrganisation, Contact, Organisation
from principles.models import Principle

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

ORGANISATIONS = {
    "birmingham-city-council": (
        "Birmingham City Council",
        Organisation.Kind.COUNCIL,
        Organisation.Membership.FULL,
    ),
    "hyndburn-borough-council": (
        "Hyndburn Borough Council",
        Organisation.Kind.COUNCIL,
        Organisation.Membership.FULL,
    ),
    "trueman-change": (
        "Trueman Change",
        Organisation.Kind.PARTNER,
        Organisation.Membership.AFFILIATE,
    ),
}

CASE_STUDIES = [
    {
        "file": "birmingham-health-and-wellbeing-consultation.txt",
        "slug": "strategy-consult-birmingham-cc",
        "title": "Consulting Birmingham on its Health and Wellbeing Strategy 2022-2030",
        "summary": (
            "Trueman Change ran the public consultation on Birmingham's draft Health and "
            "Wellbeing Strategy 2022-2030, making sure voices that are often underrepresented "
            "shaped the final strategy."
        ),
        "year": 2022,
        "published": dt.datetime(2022, 9, 1, 9, 0, tzinfo=dt.UTC),
        "councils": ["birmingham-city-council"],
        "delivered_by": ["trueman-change"],
        "themes": ["Health and wellbeing", "Consultation", "Community voice"],
        "pull_quote": (
            "It's great to know that these voices have become an important part of shaping "
            "the future of health and wellbeing in the city."
        ),
        "pull_quote_attribution": "Lucy Trueman, Managing Director, Trueman Change",
    },
    {
        "file": "hyndburn-community-covid-response.txt",
        "slug": "community-covid-response",
        "title": "Evaluating Hyndburn's community response to COVID-19",
        "summary": (
            "An evaluation of Hyndburn Borough Council's community response to COVID-19 - a "
            "community hub, food parcels and advice - engaging over 40 local organisations, "
            "with recommendations for future partnership working."
        ),
        "year": 2021,
        "published": dt.datetime(2021, 11, 15, 9, 0, tzinfo=dt.UTC),
        "councils": ["hyndburn-borough-council"],
        "delivered_by": ["trueman-change"],
        "themes": ["COVID-19", "Community hubs", "Evaluation"],
        "pull_quote": "",
        "pull_quote_attribution": "",
    },
]


class Command(BaseCommand):
    help = "Load (or refresh) the demo case studies, organisations and contacts."

    @transaction.atomic
    def handle(self, *args, **options):
        organisations = {}
        for slug, (name, kind, membership) in ORGANISATIONS.items():
            organisations[slug], _ = Organisation.objects.update_or_create(
                slug=slug, defaults={"name": name, "kind": kind, "membership": membership}
            )
        principles = list(Principle.objects.all())

        for spec in CASE_STUDIES:
            writeup = parse_writeup((DEMO_DIR / spec["file"]).read_text(encoding="utf-8"))
            matched = [match_principle(entry, principles) for entry in writeup.entries]
            body = "\n".join(f"<p>{escape(p)}</p>" for p in writeup.paragraphs)
            case_study, created = CaseStudy.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    "title": spec["title"],
                    "summary": spec["summary"],
                    "body": body,
                    "year": spec["year"],
                    "kind": CaseStudy.Kind.CASE_STUDY,
                    "status": CaseStudy.Status.PUBLISHED,
                    "published_at": spec["published"],
                    "pull_quote": spec["pull_quote"],
                    "pull_quote_attribution": spec["pull_quote_attribution"],
                },
            )
            case_study.principles.set([p for p in matched if p is not None])
            case_study.themes.set(spec["themes"])
            case_study.roles.all().delete()
            for role, slugs in (
                (CaseStudyOrganisation.Role.COUNCIL, spec["councils"]),
                (CaseStudyOrganisation.Role.DELIVERY, spec["delivered_by"]),
            ):
                for slug in slugs:
                    case_study.roles.create(organisation=organisations[slug], role=role)
            contacts = []
            if writeup.contact and writeup.contact.name:
                organisation = Organisation.objects.filter(
                    name__iexact=writeup.contact.organisation
                ).first()
                contact, _ = Contact.objects.update_or_create(
                    name=writeup.contact.name,
                    organisation=organisation,
                    defaults={"role": writeup.contact.role},
                )
                contacts.append(contact)
            case_study.contacts.set(contacts)
            verb = "Created" if created else "Updated"
            self.stdout.write(
                f"{verb} {case_study.title!r}: {case_study.principles.count()} principles"
            )
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({timezone.now():%Y-%m-%d})."))
