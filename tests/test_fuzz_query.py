"""Property-based tests: no query string makes a public page fail (no 500, no exception)."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/strategy-consult-birmingham-cc/",
    "/principles/",
    "/principles/learning/",
    "/organisations/",
    "/organisations/trueman-change/",
]
# The parameters the pages read, and some they do not.
KNOWN = ["q", "principle", "match", "organisation", "theme", "kind", "year", "page", "o", "format"]
# Values with a meaning here, and ones that break naive code (NUL, huge numbers, SQL, markup).
TRICKY = [
    "",
    "all",
    "any",
    "learning",
    "trueman-change",
    "birmingham-city-council",
    "case_study",
    "policy_lab",
    "0",
    "-1",
    "1",
    "2",
    "last",
    "9" * 40,
    "1e309",
    "NaN",
    "\x00",
    "%00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\ud7ff\U0010ffff",
    " " * 300,
    "a" * 5000,
]
values = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
names = st.one_of(st.sampled_from(KNOWN), st.text(min_size=1, max_size=12))
queries = st.lists(st.tuples(names, values), max_size=8)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_no_query_string_breaks_a_public_page(client, demo, page):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=queries)
    def check(query):
        url = f"{page}?{urlencode(query)}"
        response = client.get(url)
        assert response.status_code < 500, url
        assert response.status_code in {200, 400, 404}, url
        if response.status_code != 200:
            assert "<h1>" in response.text, url  # a page that says what went wrong

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_raw_undecodable_query_strings_do_not_break_a_public_page(client, demo, page):
    for raw in ["%ff%fe", "q=%ff", "%", "a=%zz&b", "=&&=", "q=" + "%e2%82" * 50]:
        response = client.get(page, QUERY_STRING=raw)
        assert response.status_code in {200, 400, 404}, raw


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/case-studies/", "/principles/", "/organisations/"])
def test_no_address_breaks_a_detail_page(client, demo, prefix):
    from urllib.parse import quote

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(slug=st.text(min_size=1, max_size=80))
    def check(slug):
        url = f"{prefix}{quote(slug, safe='')}/"
        response = client.get(url)
        assert response.status_code in {200, 301, 400, 404}, url

    check()
