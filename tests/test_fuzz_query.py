"""Property-based tests: no query string and no address makes a public page fail.

One property, one suite (issue 12). This module (hypothesis) owns "whatever the query string,
a public page or the CSV export answers 200, 400 or 404, explains a refusal in a page, and never
echoes markup"; every odd value once in every filter parameter of the list pages is among its
examples, always tried. The API's requests are schemathesis's (tests/test_api.py), which tries
the same odd values on its list. tests/test_bad_input.py keeps the examples whose exact answer
matters (which status, which message).
"""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/export.csv",
    "/case-studies/strategy-consult-birmingham-cc/",
    "/principles/",
    "/principles/learning/",
    "/principles/coverage/",
    "/organisations/",
    "/organisations/trueman-change/",
]
# The pages that read the list's filters: each odd value in each of these parameters is an
# example the property is always checked on (the API's list gets the same, in test_api.py).
FILTERED_PAGES = ["/case-studies/", "/case-studies/export.csv", "/principles/coverage/"]
PARAMETERS = ["page", "principle", "match", "organisation", "theme", "kind", "year", "q", "sort"]
MARKUP = "<script>alert(1)</script>"
ODD_VALUES = [
    "",
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1e9",
    "%00",
    "\u202e\u0000",
    MARKUP,
    "' OR 1=1 --",
    "\U0001f600" * 50,
    "x" * 5000,
]
# The parameters the pages read, and some they do not.
KNOWN = [*PARAMETERS, "o", "format"]
# Values with a meaning here, and ones that break naive code (NUL, huge numbers, SQL, markup).
TRICKY = [
    *ODD_VALUES,
    "all",
    "any",
    "learning",
    "trueman-change",
    "birmingham-city-council",
    "case_study",
    "policy_lab",
    "1",
    "2",
    "last",
    "9" * 40,
    "1e309",
    "NaN",
    "\x00",
    "\ud7ff\U0010ffff",
    " " * 300,
]
values = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
names = st.one_of(st.sampled_from(KNOWN), st.text(min_size=1, max_size=12))
queries = st.lists(st.tuples(names, values), max_size=8)
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_a_clear_answer(response, url):
    """200, 400 or 404; a refusal is a page saying what went wrong; markup is never echoed."""
    assert response.status_code in {200, 400, 404}, url
    content_type = response["Content-Type"]
    if content_type.startswith("text/html"):
        text = body(response).decode()
        assert MARKUP not in text, url
        if response.status_code != 200:
            assert "<h1>" in text, url
    else:
        assert content_type.startswith(("text/csv", "application/json")), (url, content_type)


@pytest.mark.parametrize("page", PAGES)
def test_no_query_string_breaks_a_public_page(client, demo, page):
    @settings(max_examples=60, **SETTINGS)
    @given(query=queries)
    def check(query):
        url = f"{page}?{urlencode(query)}"
        assert_a_clear_answer(client.get(url), url)

    if page in FILTERED_PAGES:
        for name in PARAMETERS:
            for value in ODD_VALUES:
                check = example(query=[(name, value)])(check)
    check()


@pytest.mark.parametrize("page", PAGES)
def test_raw_undecodable_query_strings_do_not_break_a_public_page(client, demo, page):
    for raw in ["%ff%fe", "q=%ff", "%", "a=%zz&b", "=&&=", "q=" + "%e2%82" * 50]:
        response = client.get(page, QUERY_STRING=raw)
        assert response.status_code in {200, 400, 404}, raw


@pytest.mark.parametrize("prefix", ["/case-studies/", "/principles/", "/organisations/"])
def test_no_address_breaks_a_detail_page(client, demo, prefix):
    @settings(max_examples=40, **SETTINGS)
    @given(slug=st.text(min_size=1, max_size=80))
    def check(slug):
        url = f"{prefix}{quote(slug, safe='')}/"
        response = client.get(url)
        assert response.status_code in {200, 301, 400, 404}, url

    check()
