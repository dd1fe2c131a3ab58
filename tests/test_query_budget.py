"""Each public page makes a fixed number of queries, however many case studies it shows."""

import pytest
from django.db import connection

from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory

# page -> queries it may make
BUDGET = {
    "/": 5,
    "/case-studies/": 9,
    "/case-studies/?principle=learning&principle=innovation&theme=housing": 12,
    "/principles/": 2,
    "/principles/learning/": 7,
    "/organisations/": 1,
    "/organisations/the-council/": 6,
    "/case-studies/?q=housing&sort=relevance": 9,
    "/case-studies/?q=housing&principle=learning&principle=innovation&match=any": 11,
    "/principles/coverage/": 8,
    "/principles/coverage/?principle=learning&theme=housing": 11,
    "/feeds/case-studies.rss": 3,
    "/feeds/principles/learning.atom": 4,
    "/feeds/themes/housing.rss": 4,
    "/feeds/organisations/the-council.atom": 4,
    "/sitemap.xml": 5,
    "/sitemap-case-studies.xml": 2,
    "/api/v1/case-studies/": 6,
    "/api/v1/case-studies/?principle=learning&theme=housing&q=housing": 8,
    "/api/v1/principles/": 2,
    "/api/v1/organisations/": 2,
}


@pytest.fixture(params=[1, 30], ids=["1 case study", "30 case studies"])
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
    """PostgreSQL's search makes one more query: it looks up misspelt words (pg_trgm)."""
    return BUDGET[url] + (1 if "q=" in url and connection.vendor == "postgresql" else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("url", BUDGET)
def test_page_query_count_is_fixed(client, population, django_assert_num_queries, url):
    with django_assert_num_queries(budget(url)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_case_study_page_query_count_is_fixed(client, population, django_assert_num_queries):
    from casestudies.models import CaseStudy

    case_study = CaseStudy.objects.first()
    with django_assert_num_queries(7):
        response = client.get(case_study.get_absolute_url())
    assert response.status_code == 200
