"""Fill a database with synthetic case studies for the load test (bench/load/run.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopnet_load \
        python bench/load/generate.py --case-studies 10000

Deterministic (seeded), quick (bulk_create) and repeatable: it first removes what an earlier
run made (slugs starting "load-"). Most case studies are published; some are drafts and some
are scheduled, as in real life. The seven principles come from the migrations.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PREFIX = "load-"
WORDS = [
    "council",
    "community",
    "co-operative",
    "residents",
    "neighbourhood",
    "housing",
    "energy",
    "solar",
    "food",
    "bank",
    "health",
    "wellbeing",
    "care",
    "social",
    "enterprise",
    "youth",
    "school",
    "library",
    "park",
    "transport",
    "bus",
    "cycle",
    "budget",
    "participatory",
    "commissioning",
    "procurement",
    "local",
    "wealth",
    "anchor",
    "institution",
    "jobs",
    "skills",
    "training",
    "apprenticeship",
    "credit",
    "union",
    "tenants",
    "repair",
    "retrofit",
    "insulation",
    "warm",
    "homes",
    "climate",
    "recycling",
    "waste",
    "circular",
    "economy",
    "market",
    "high",
    "street",
    "regeneration",
    "arts",
    "culture",
    "heritage",
    "volunteers",
    "mutual",
    "aid",
    "covid",
    "response",
    "shielding",
    "food",
    "parcels",
    "digital",
    "inclusion",
    "broadband",
    "loneliness",
    "older",
    "people",
    "carers",
    "disability",
    "inclusion",
    "equality",
    "democracy",
    "assembly",
    "citizens",
    "jury",
    "consultation",
    "co-production",
    "design",
    "prototype",
    "policy",
    "lab",
    "evaluation",
    "outcomes",
    "learning",
    "partnership",
    "trust",
    "charity",
    "faith",
    "groups",
    "sport",
    "leisure",
    "allotment",
    "garden",
    "water",
    "flood",
    "river",
    "childcare",
    "nursery",
    "family",
    "hub",
    "debt",
    "advice",
    "benefits",
    "employment",
    "wages",
    "living",
    "wage",
    "landlord",
]
COUNCIL_PLACES = [
    "Oldham",
    "Preston",
    "Lambeth",
    "Sunderland",
    "Plymouth",
    "Kirklees",
    "Rochdale",
    "Salford",
    "Stockport",
    "Barnsley",
    "Cardiff",
    "Swansea",
    "Newport",
    "Leeds",
    "Bristol",
    "Norwich",
    "Exeter",
    "Wigan",
    "Bolton",
    "Halton",
    "Camden",
    "Hackney",
    "Islington",
    "Southwark",
    "Croydon",
    "Sandwell",
    "Dudley",
    "Walsall",
    "Wolverhampton",
    "Coventry",
]


def sentence(rng, n):
    words = rng.choices(WORDS, k=n)
    return " ".join(words).capitalize() + "."


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case-studies", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from casestudies.models import (
        CaseStudy,
        CaseStudyOrganisation,
        Contact,
        Organisation,
        Theme,
        ThemedCaseStudy,
    )
    from principles.models import Principle

    rng = random.Random(args.seed)
    started = time.monotonic()
    now = timezone.now()
    principles = list(Principle.objects.all())
    with transaction.atomic():
        CaseStudy.objects.filter(slug__startswith=PREFIX).delete()
        Contact.objects.filter(organisation__slug__startswith=PREFIX).delete()
        Organisation.objects.filter(slug__startswith=PREFIX).delete()
        Theme.objects.filter(slug__startswith=PREFIX).delete()

        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"{place} {kind} {i}",
                    slug=f"{PREFIX}{place.lower()}-{kind.lower()}-{i}",
                    kind=Organisation.Kind.COUNCIL if kind == "Council" else "partner",
                    membership=rng.choice(Organisation.Membership.values),
                )
                for i in range(1, 4)
                for place in COUNCIL_PLACES
                for kind in ("Council", "Partners")
            ]
        )
        councils = [o for o in organisations if o.kind == Organisation.Kind.COUNCIL]
        partners = [o for o in organisations if o.kind != Organisation.Kind.COUNCIL]
        contacts = Contact.objects.bulk_create(
            [
                Contact(
                    name=f"{rng.choice(WORDS).capitalize()} {rng.choice(COUNCIL_PLACES)} {i}",
                    role="Co-operative lead",
                    organisation=rng.choice(organisations),
                    email=f"contact{i}@example.org",
                    email_consent=rng.random() < 0.5,
                )
                for i in range(400)
            ]
        )
        themes = Theme.objects.bulk_create(
            [Theme(name=f"{word.capitalize()}", slug=f"{PREFIX}{word}") for word in WORDS[:40]]
        )

        statuses = rng.choices(
            [("published", -1), ("published", +1), ("draft", 0)], weights=[90, 3, 7], k=10**6
        )
        case_studies = []
        for i in range(args.case_studies):
            status, when = statuses[i]
            published_at = None
            if when:
                published_at = now + when * dt.timedelta(minutes=rng.randint(60, 3 * 365 * 1440))
            title = sentence(rng, rng.randint(3, 7))[:-1]
            case_studies.append(
                CaseStudy(
                    title=title,
                    slug=f"{PREFIX}case-study-{i:05d}",
                    summary=sentence(rng, rng.randint(15, 30)),
                    body="".join(
                        f"<p>{' '.join(sentence(rng, rng.randint(8, 20)) for _ in range(4))}</p>"
                        for _ in range(rng.randint(3, 8))
                    ),
                    kind=rng.choices(CaseStudy.Kind.values, weights=[8, 1, 1])[0],
                    year=rng.randint(2012, 2026),
                    status=status,
                    published_at=published_at,
                    pull_quote=sentence(rng, 12) if rng.random() < 0.3 else "",
                )
            )
        # bulk_create skips save(), which sanitises the body: these bodies are plain <p> text.
        case_studies = CaseStudy.objects.bulk_create(case_studies, batch_size=1000)

        Through = CaseStudy.principles.through
        Through.objects.bulk_create(
            [
                Through(casestudy_id=cs.pk, principle_id=p.pk)
                for cs in case_studies
                for p in rng.sample(principles, rng.randint(1, 4))
            ],
            batch_size=5000,
        )
        CaseStudyOrganisation.objects.bulk_create(
            [
                CaseStudyOrganisation(case_study_id=cs.pk, organisation_id=org.pk, role=role)
                for cs in case_studies
                for org, role in [
                    (rng.choice(councils), CaseStudyOrganisation.Role.COUNCIL),
                    (rng.choice(partners), CaseStudyOrganisation.Role.DELIVERY),
                ]
            ],
            batch_size=5000,
        )
        ContactThrough = CaseStudy.contacts.through
        ContactThrough.objects.bulk_create(
            [
                ContactThrough(casestudy_id=cs.pk, contact_id=rng.choice(contacts).pk)
                for cs in case_studies
            ],
            batch_size=5000,
        )
        ThemedCaseStudy.objects.bulk_create(
            [
                ThemedCaseStudy(content_object_id=cs.pk, tag_id=t.pk)
                for cs in case_studies
                for t in rng.sample(themes, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
    published = CaseStudy.objects.published().filter(slug__startswith=PREFIX).count()
    print(
        f"{len(case_studies)} case studies ({published} published), {len(organisations)} "
        f"organisations, {len(contacts)} contacts, {len(themes)} themes "
        f"in {time.monotonic() - started:.1f}s"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopnet.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # no secret key needed for a data script
    main()
