"""Each public page makes a fixed number of queries, however many case studies it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.discovery import facets as facetindex
from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory

# page -> queries it may make, the facet index built (its options and counts are known). Cards
# take their principles and their organisations' roles from the facet index (no query: issue
# 17).
BUDGET = {
    "/": 2,
    "/case-studies/": 1,
    # The public themes are read once per content version (here: on this first theme request).
    "/case-studies/?principle=learning&principle=innovation&theme=housing": 3,
    "/principles/": 2,
    "/principles/learning/": 4,
    "/organisations/": 1,
    # and the Policy Labs it led or took part in, and its contacts on published work (issue 14)
    "/organisations/the-council/": 5,
    "/case-studies/?q=housing&sort=relevance": 2,
    "/case-studies/?q=housing&principle=learning&principle=innovation&match=any": 3,
    "/principles/coverage/": 3,
    "/principles/coverage/?principle=learning&theme=housing": 5,
    # Feeds read their items' organisations too: a programme's members are in its description.
    "/feeds/case-studies.rss": 4,
    "/feeds/principles/learning.atom": 5,
    "/feeds/themes/housing.rss": 5,
    "/feeds/organisations/the-council.atom": 5,
    "/sitemap.xml": 5,
    "/sitemap-case-studies.xml": 2,
    "/api/v1/case-studies/": 6,
    "/api/v1/case-studies/?principle=learning&theme=housing&q=housing": 8,
    "/api/v1/principles/": 2,
    "/api/v1/organisations/": 2,
}


@pytest.fixture(
    params=[1, pytest.param(30, marks=pytest.mark.slow)], ids=["1 case study", "30 case studies"]
)
def population(request, principles):
    council = OrganisationFactory(name="The Council", slug="the-council")
    partner = OrganisationFactory(name="A Partner", slug="a-partner", kind="partner")
    for _ in range(request.param):
        CaseStudyFactory(
            principles=principles,
            councils=[council],
            delivered_by=[partner],
            themes=["Housing", "Health"],
            contacts=[ContactFactory(organisation=partner)],
        )
    return request.param


def budget(url):
    """A search on PostgreSQL also looks up misspelt words (pg_trgm), then reads the matching
    ids through the GIN index and the words to highlight in one round trip (SET, SELECT and
    RESET of sequential scans in one execute: four queries before issue 17); the list ranks
    a page's rows in the query that reads them (no query for the ranks of the others), the API
    reads its matches' ranks. On SQLite (FTS5) a search looks its words up in the lexicon (one
    statement: the known words, and the trigram candidates of any unknown one); the page's
    matches come with their ranks in the statement that finds their ids, and the API, which
    ranks too, reads them to decide whether to."""
    if "q=" not in url:
        return BUDGET[url]
    return BUDGET[url] + (2 if url.startswith("/api/") else 1)


@pytest.fixture
def warm_facet_index(settings):
    """The facet index kept between requests, as in production (the test settings rebuild it
    for every request)."""
    settings.FACET_INDEX_SECONDS = 300
    settings.CONTENT_VERSION_SECONDS = 60  # read once, then at most once a second
    facetindex.forget()
    yield
    facetindex.forget()


@pytest.mark.django_db
@pytest.mark.parametrize("url", BUDGET)
def test_page_query_count_is_fixed(
    client, population, warm_facet_index, django_assert_num_queries, url
):
    client.get("/case-studies/")  # builds the facet index, once per content change
    with django_assert_num_queries(budget(url)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_building_the_facet_index_takes_five_queries(population, django_assert_num_queries):
    with django_assert_num_queries(5):
        index = facetindex.FacetIndex.build()
    assert index.published.bit_count() == population


@pytest.mark.django_db
def test_case_study_page_query_count_is_fixed(
    client, population, warm_facet_index, django_assert_num_queries
):
    """The case study, its contacts, and the related case studies it links to: its principles,
    themes and organisations in their roles, every principle's commitments and what is related
    to it come from the facet index (issue 17). With no other case study, nothing related is
    read."""
    from casestudies.models import CaseStudy

    first, last = CaseStudy.objects.order_by("pk")[0], CaseStudy.objects.order_by("-pk")[0]
    client.get(last.get_absolute_url())  # builds the facet index, once per content change
    with django_assert_num_queries(3 if population > 1 else 2):
        response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["related"]) == min(population - 1, 3)


@pytest.mark.django_db
def test_a_new_search_for_known_words_does_not_look_up_their_spelling(
    client, population, warm_facet_index
):
    """The lexicon is read once per content version: a new search whose words are all in it
    asks only for its matches (no spelling query); a misspelt word is still looked up."""
    client.get("/case-studies/?q=housing")  # reads the lexicon
    with CaptureQueriesContext(connection) as known:
        client.get("/case-studies/?q=health")
    with CaptureQueriesContext(connection) as misspelt:
        response = client.get("/case-studies/?q=helth")
    spelling = [q for q in misspelt.captured_queries if "searchword" in q["sql"].lower()]
    assert not [q for q in known.captured_queries if "searchword" in q["sql"].lower()]
    assert len(spelling) == 1
    assert response.context["paginator"].count == population  # "helth" finds "health"


@pytest.mark.django_db
def test_a_search_seen_before_asks_only_for_its_page(client, population, warm_facet_index):
    """The next page of a search, or the same words with another filter, reuses what the
    worker learnt the first time (spelling, matching ids, words to highlight) until the content
    changes: as many queries as the same filters without a search (the page's rows)."""
    filters = "/case-studies/?principle=learning&principle=innovation&match=any"
    client.get(filters)
    with CaptureQueriesContext(connection) as without_search:
        client.get(filters)
    client.get("/case-studies/?q=housing&sort=relevance")
    with CaptureQueriesContext(connection) as with_search:
        response = client.get(filters + "&q=housing")
    assert response.status_code == 200
    assert len(with_search.captured_queries) == len(without_search.captured_queries) == 1
