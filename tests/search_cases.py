"""One list of searches, and the collection they run on, for both search engines.

tests/test_search_engines.py asserts the same first results on SQLite (FTS5) and on PostgreSQL
from this table; bench/search_comparison.py prints what each database finds, side by side.
"""

import io

from django.core.management import call_command

# (what is searched for, what it shows: misspellings, plurals, names, phrases, words of a
# principle's statement, organisation names), the query, the slugs expected first, in order.
BIRMINGHAM = "strategy-consult-birmingham-cc"
HYNDBURN = "community-covid-response"
SEARCHES = [
    ("misspelling", "consultaton", [BIRMINGHAM, "ward-budgets"]),
    ("misspelling", "Hyndbrun", [HYNDBURN]),
    ("misspelling", "Birmingam wellbeing", [BIRMINGHAM]),
    ("misspelling", "alotments", ["allotments-for-all"]),
    ("plural", "Consultations", [BIRMINGHAM, "ward-budgets"]),
    ("plural", "evaluations", [HYNDBURN]),
    ("plural", "allotment", ["allotments-for-all"]),
    ("other form", "consulting", [BIRMINGHAM, "ward-budgets"]),
    ("contact's name", "Lucy", [BIRMINGHAM]),
    ("contact's name", "Ada Lovelace", ["ward-budgets"]),
    ("phrase", "food parcels", [HYNDBURN]),
    ("phrase", "health and wellbeing", [BIRMINGHAM]),
    ("phrase", "participatory budgeting", ["ward-budgets"]),
    ("hyphenated", "COVID-19", [HYNDBURN]),
    ("theme", "Community hubs", [HYNDBURN]),
    ("every word needed", "Birmingham Hyndburn", []),
    ("only in a principle's statement", "mutuals", []),
    ("only in a principle's statement", "commissioning", []),
    ("organisation", "Hyndburn Borough Council", [HYNDBURN]),
    ("organisation", "Kirklees", ["allotments-for-all", "ward-budgets"]),
    ("organisation and a word", "Trueman hub", [HYNDBURN]),
    ("title first", "allotments", ["allotments-for-all", "ward-budgets"]),
]


def make_collection():
    """The demo content (as `make run` loads it) and three more case studies, so that ranking
    has something to order."""
    from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory

    call_command("load_demo", stdout=io.StringIO())
    kirklees = OrganisationFactory(name="Kirklees Council", slug="kirklees-council")
    CaseStudyFactory(
        slug="ward-budgets",
        title="Participatory budgeting in every ward",
        summary="Residents chose how to spend each ward's budget, after a consultation.",
        body="<p>Some wards funded allotments; others, youth clubs.</p>",
        councils=[kirklees],
        contacts=[ContactFactory(name="Ada Lovelace", organisation=kirklees)],
        themes=["Participation"],
        year=2023,
    )
    CaseStudyFactory(
        slug="allotments-for-all",
        title="Allotments for all",
        summary="Growing food together on council land.",
        body="<p>Allotment holders shared their plots with neighbours.</p>",
        councils=[kirklees],
        themes=["Food"],
        year=2024,
    )
    CaseStudyFactory(
        slug="draft-mutuals",
        title="A draft about mutuals and consultations",
        summary="Never found by the public.",
        draft=True,
    )
