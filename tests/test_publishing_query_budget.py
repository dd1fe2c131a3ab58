"""The staff pages of the publishing workflow make a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CaseStudyFactory, OrganisationFactory


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/admin/casestudies/casestudy/", "/admin/casestudies/casestudyawaitingreview/"],
)
def test_publisher_lists_cost_the_same_for_2_or_20_case_studies(publisher_client, url):
    council = OrganisationFactory(name="Any Council", slug="any-council")
    for _ in range(2):
        CaseStudyFactory(in_review=True, councils=[council])
    few = queries(publisher_client, url)
    for _ in range(18):
        CaseStudyFactory(in_review=True, councils=[council])
    assert queries(publisher_client, url) == few


@pytest.mark.django_db
def test_member_editor_list_costs_the_same_for_2_or_20_case_studies(
    editor_client, own_organisation
):
    url = "/admin/casestudies/casestudy/"
    for _ in range(2):
        CaseStudyFactory(draft=True, councils=[own_organisation])
    few = queries(editor_client, url)
    for _ in range(18):
        CaseStudyFactory(draft=True, councils=[own_organisation])
    assert queries(editor_client, url) == few
