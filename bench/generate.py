"""Fill a database with N synthetic but realistic case studies, fast (bulk inserts).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopnet_bench \
        .venv/bin/python bench/generate.py 100000

Refuses to touch a database whose name does not contain "bench": it first deletes every case
study, organisation, contact and theme there. Migrates the database first. Deterministic for a
given --seed. Case studies get 1 to 5 principles, 1 to 4 themes, a council and often a partner,
0 to 2 contacts, and bodies of 250 to 700 words; about 90% are published, the rest are drafts,
in review or scheduled.
"""

import argparse
import datetime as dt
import random
import sys
import time

import _django

COUNCIL_STEMS = [
    "Ash",
    "Brad",
    "Bur",
    "Carl",
    "Chester",
    "Darl",
    "Dun",
    "Elm",
    "Farn",
    "Glou",
    "Hal",
    "Hart",
    "Ips",
    "Kings",
    "Lan",
    "Lei",
    "Lin",
    "Mal",
    "Mar",
    "New",
    "Nor",
    "Old",
    "Pen",
    "Pres",
    "Read",
    "Roch",
    "Sal",
    "Shef",
    "Staf",
    "Stock",
    "Sun",
    "Swin",
    "Tam",
    "Tel",
    "Wake",
    "Wal",
    "War",
    "Wes",
    "Win",
    "Wor",
    "York",
    "Bas",
    "Bex",
    "Brom",
    "Cam",
    "Craw",
    "Dart",
    "Eas",
    "Fal",
    "Gos",
    "Hor",
    "Ken",
    "Lew",
    "Mer",
    "Oak",
    "Pet",
    "Red",
    "Rug",
    "Sev",
    "Tor",
]
COUNCIL_ENDS = [
    "ford",
    "ham",
    "ton",
    "by",
    "wick",
    "field",
    "bury",
    "bridge",
    "ley",
    "worth",
    "mouth",
    "stone",
    "well",
    "dale",
]
COUNCIL_KINDS = ["Borough Council", "City Council", "District Council", "County Council"]
PARTNERS = [
    "Trueman Change",
    "Co-operatives UK",
    "Locality",
    "New Economics Foundation",
    "Power to Change",
    "Social Enterprise UK",
    "Community Energy England",
    "Shelter",
    "Citizens Advice",
    "Age UK",
    "Groundwork",
    "The Young Foundation",
    "Nesta",
    "Involve",
    "Centre for Local Economic Strategies",
]
THEMES = [
    "Housing",
    "Health and wellbeing",
    "COVID-19",
    "Consultation",
    "Community voice",
    "Community hubs",
    "Evaluation",
    "Energy",
    "Climate",
    "Food",
    "Transport",
    "Social care",
    "Children and young people",
    "Older people",
    "Employment",
    "Skills",
    "Local economy",
    "Procurement",
    "Digital inclusion",
    "Libraries",
    "Parks and green spaces",
    "Waste",
    "Community safety",
    "Volunteering",
    "Arts and culture",
    "Sport",
    "Poverty",
    "Welfare advice",
    "Mental health",
    "Loneliness",
    "Regeneration",
    "High streets",
    "Social value",
    "Participatory budgeting",
    "Co-operative development",
    "Community wealth building",
    "Asset transfer",
    "Tenant participation",
    "Air quality",
    "Flooding",
]
FIRST = [
    "Lucy",
    "Ahmed",
    "Sarah",
    "James",
    "Priya",
    "Tom",
    "Aisha",
    "Mark",
    "Helen",
    "David",
    "Fatima",
    "Chris",
    "Emma",
    "Raj",
    "Claire",
    "Owen",
    "Grace",
    "Sam",
    "Nadia",
    "Peter",
    "Joanne",
    "Kwame",
    "Rachel",
    "Ian",
    "Zoe",
    "Daniel",
    "Megan",
    "Hassan",
    "Ruth",
    "Gareth",
]
LAST = [
    "Trueman",
    "Patel",
    "Jones",
    "Smith",
    "Khan",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Martin",
    "Jackson",
]
NOUNS = [
    "residents",
    "tenants",
    "volunteers",
    "councillors",
    "officers",
    "partners",
    "communities",
    "families",
    "young",
    "people",
    "older",
    "people",
    "carers",
    "businesses",
    "charities",
    "co-operatives",
    "schools",
    "neighbourhoods",
]
VERBS = [
    "co-designed",
    "developed",
    "tested",
    "evaluated",
    "launched",
    "supported",
    "shaped",
    "reviewed",
    "funded",
    "delivered",
    "expanded",
    "piloted",
    "improved",
    "transformed",
]
THINGS = [
    "a community hub",
    "a food network",
    "an energy co-operative",
    "a housing plan",
    "a consultation",
    "a digital inclusion programme",
    "a social value policy",
    "a youth forum",
    "an advice service",
    "a participatory budget",
    "a community land trust",
    "a health and wellbeing strategy",
    "a local procurement framework",
    "a volunteering scheme",
    "a community transport service",
]
OUTCOMES = (
    "trust between the council and residents grew",
    "more people took part than ever before",
    "services reached people who were often left out",
    "money was kept in the local economy",
    "the council changed how it makes decisions",
    "partners agreed to keep working together",
    "lessons were shared across the network",
    "costs fell while satisfaction rose",
)


def sentence(rng):
    pattern = rng.randrange(4)
    if pattern == 0:
        return (
            f"{rng.choice(NOUNS).capitalize()} and {rng.choice(NOUNS)} {rng.choice(VERBS)} "
            f"{rng.choice(THINGS)} with the council."
        )
    if pattern == 1:
        return f"As a result, {rng.choice(OUTCOMES)}."
    if pattern == 2:
        return (
            f"The work on {rng.choice(THEMES).lower()} {rng.choice(VERBS)} "
            f"{rng.choice(THINGS)} over {rng.randint(2, 24)} months."
        )
    return (
        f"Over {rng.randint(10, 900)} {rng.choice(NOUNS)} {rng.choice(VERBS)} "
        f"{rng.choice(THINGS)}, and {rng.choice(OUTCOMES)}."
    )


def body(rng, sentences):
    paragraphs = []
    words = 0
    target = rng.randint(250, 700)
    while words < target:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
        words += paragraph.count(" ") + 1
        paragraphs.append(f"<p>{paragraph}</p>")
    return "\n".join(paragraphs)


def wipe(models):
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # TRUNCATE is PostgreSQL's, and cannot run where deferred constraints are pending.
        for model in models:
            model._base_manager.all().delete()
        return
    tables = ", ".join(model._meta.db_table for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def generate(n, seed, batch=2000):
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from casestudies.discovery.search import update_search_documents
    from casestudies.models import (
        CaseStudy,
        CaseStudyOrganisation,
        Contact,
        Organisation,
        SearchWord,
        Theme,
        ThemedCaseStudy,
    )
    from principles.models import Principle

    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        sys.exit(f"Refusing to fill {name!r}: use a database whose name contains 'bench'.")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    Links = CaseStudy.principles.through
    ContactLinks = CaseStudy.contacts.through
    wipe(
        [
            ThemedCaseStudy,
            CaseStudyOrganisation,
            ContactLinks,
            Links,
            CaseStudy,
            Contact,
            Organisation,
            Theme,
            SearchWord,
        ]
    )

    councils = {"Birmingham City Council", "Hyndburn Borough Council"}
    while len(councils) < 400:
        place = rng.choice(COUNCIL_STEMS) + rng.choice(COUNCIL_ENDS)
        councils.add(f"{place} {rng.choice(COUNCIL_KINDS)}")
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=c, slug=slugify(c), kind="council", membership="full")
            for c in sorted(councils)
        ]
        + [
            Organisation(name=p, slug=slugify(p), kind="partner", membership="affiliate")
            for p in PARTNERS
        ]
    )
    council_ids = [o.pk for o in organisations if o.kind == "council"]
    partner_ids = [o.pk for o in organisations if o.kind == "partner"]
    themes = Theme.objects.bulk_create([Theme(name=t, slug=slugify(t)) for t in THEMES])
    theme_ids = [t.pk for t in themes]
    people = set()
    while len(people) < 3000:
        people.add((f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(organisations).pk))
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                name=person,
                organisation_id=org,
                role="Policy officer",
                email=f"{slugify(person)}.{i}@example.org",
                email_visibility="everyone" if rng.random() < 0.5 else "members",
                phone="01234 567890",
                phone_visibility="everyone" if rng.random() < 0.3 else "nobody",
            )
            for i, (person, org) in enumerate(sorted(people))
        ]
    )
    contact_ids = [c.pk for c in contacts]
    principle_ids = list(Principle.objects.values_list("pk", flat=True))
    sentences = [sentence(rng) for _ in range(3000)]
    now = timezone.now()
    kinds = ["case_study"] * 8 + ["policy_lab", "prototype"]

    made = 0
    while made < n:
        size = min(batch, n - made)
        case_studies = []
        for i in range(made, made + size):
            theme = rng.choice(THEMES)
            roll = rng.random()
            status, published = "published", now - dt.timedelta(days=rng.randint(1, 3650))
            if roll > 0.98:
                published = now + dt.timedelta(days=rng.randint(1, 60))  # scheduled
            elif roll > 0.95:
                status, published = "in_review", None
            elif roll > 0.90:
                status, published = "draft", None
            place = rng.choice(COUNCIL_STEMS) + rng.choice(COUNCIL_ENDS)
            title = f"{theme}: how {place} {rng.choice(VERBS)} {rng.choice(THINGS)}"
            case_studies.append(
                CaseStudy(
                    title=title[:250],
                    slug=f"{slugify(title)[:200]}-{i}",
                    summary=" ".join(rng.choice(sentences) for _ in range(2))[:600],
                    body=body(rng, sentences),
                    kind=rng.choice(kinds),
                    year=rng.randint(2012, 2026),
                    status=status,
                    published_at=published,
                )
            )
        with transaction.atomic():
            created = CaseStudy.objects.bulk_create(case_studies)  # no save(): no signals
            links, tags, roles, people_links = [], [], [], []
            for case_study in created:
                for p in rng.sample(principle_ids, rng.randint(1, 5)):
                    links.append(Links(casestudy_id=case_study.pk, principle_id=p))
                for t in rng.sample(theme_ids, rng.randint(1, 4)):
                    tags.append(ThemedCaseStudy(content_object_id=case_study.pk, tag_id=t))
                roles.append(
                    CaseStudyOrganisation(
                        case_study_id=case_study.pk,
                        organisation_id=rng.choice(council_ids),
                        role="council",
                    )
                )
                if rng.random() < 0.6:
                    roles.append(
                        CaseStudyOrganisation(
                            case_study_id=case_study.pk,
                            organisation_id=rng.choice(partner_ids),
                            role="delivery",
                        )
                    )
                for c in rng.sample(contact_ids, rng.randint(0, 2)):
                    people_links.append(ContactLinks(casestudy_id=case_study.pk, contact_id=c))
            Links.objects.bulk_create(links)
            ThemedCaseStudy.objects.bulk_create(tags)
            CaseStudyOrganisation.objects.bulk_create(roles)
            ContactLinks.objects.bulk_create(people_links)
            update_search_documents([c.pk for c in created])
        made += size
        print(f"{made} case studies ({time.perf_counter() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics for the planner (VACUUM cannot run inside a transaction).
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        with connection.connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        connection.connection.autocommit = old
    print(f"Done: {n} case studies in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many case studies to make")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    _django.setup()
    generate(args.n, args.seed)


if __name__ == "__main__":
    main()
