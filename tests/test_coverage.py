"""The principle coverage matrix, and "meets N of M principles" on each case study."""

from html.parser import HTMLParser

import pytest

from tests.factories import CaseStudyFactory, PrincipleFactory


class Table(HTMLParser):
    """The cells of the first table, as (tag, attributes, text) per row."""

    def __init__(self):
        super().__init__()
        self.caption = ""
        self.rows = []
        self.cell = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = [tag, dict(attrs), ""]

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td") and self.cell:
            self.cell[2] = " ".join(self.cell[2].split())
            self.rows[-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.in_caption:
            self.caption += data
        elif self.cell is not None:
            self.cell[2] += data


def table(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = Table()
    parser.feed(response.text)
    return parser


@pytest.fixture
def by_slug(principles):
    return {p.slug: p for p in principles}


@pytest.mark.django_db
def test_coverage_is_a_real_table_with_headers_and_totals(client, by_slug):
    CaseStudyFactory(title="Both", principles=[by_slug["learning"], by_slug["innovation"]])
    CaseStudyFactory(title="One", principles=[by_slug["learning"]])
    CaseStudyFactory(title="Hidden", principles=[by_slug["learning"]], draft=True)
    parsed = table(client, "/principles/coverage/")
    assert "Case studies (rows) by the principles they meet (columns)" in parsed.caption
    header, *body, totals = parsed.rows
    assert header[0] == ("th", {"scope": "col"}, "Case study")
    assert [cell[2] for cell in header[1:8]] == [p.title for p in by_slug.values()]
    assert all(cell[:2] == ("th", {"scope": "col"}) for cell in header)
    rows = {row[0][2]: row for row in body}
    assert set(rows) == {"Both", "One"}
    assert rows["Both"][0][1] == {"scope": "row"}
    learning = [p.slug for p in by_slug.values()].index("learning") + 1
    assert rows["One"][learning][2] == "✓Meets"
    assert rows["One"][learning + 1][2] == "\u2013Does not meet"
    assert rows["Both"][-1][2] == "2 of 7" and rows["One"][-1][2] == "1 of 7"
    assert totals[0][1] == {"scope": "row"}
    assert totals[learning][2] == "2"
    assert totals[[p.slug for p in by_slug.values()].index("innovation") + 1][2] == "1"


@pytest.mark.django_db
def test_coverage_is_filterable_like_the_list(client, by_slug):
    CaseStudyFactory(title="Food", principles=[by_slug["learning"]], themes=["Food"])
    CaseStudyFactory(title="Housing", principles=[by_slug["innovation"]], themes=["Housing"])
    parsed = table(client, "/principles/coverage/?theme=food")
    assert [row[0][2] for row in parsed.rows[1:-1]] == ["Food"]
    text = client.get("/principles/coverage/?theme=food").text
    assert '<form id="filters"' in text and "Theme: Food" in text
    list_page = client.get("/case-studies/?theme=food").text
    assert 'href="/principles/coverage/?theme=food"' in list_page


@pytest.mark.django_db
def test_coverage_with_no_results_says_so(client, principles):
    response = client.get("/principles/coverage/?q=nothing-matches-this")
    assert "No published case studies match these filters" in response.text


@pytest.mark.django_db
def test_case_study_page_shows_principles_met_first_and_the_others_in_a_disclosure(client, by_slug):
    PrincipleFactory(title="Democratic engagement", slug="democratic-engagement")
    case_study = CaseStudyFactory(principles=[by_slug["learning"], by_slug["innovation"]])
    text = client.get(case_study.get_absolute_url()).text
    assert "This work meets 2 of the network\u2019s 8 principles." in text
    met, _, not_met = text.partition('<details class="principles-not-met">')
    assert "Learning</a></h3>" in met and "Innovation</a></h3>" in met
    assert "Democratic engagement" not in met, "principles not met come after, in a disclosure"
    assert "<summary>Principles not met (6)</summary>" in not_met
    assert not_met.split("</details>")[0].count("<li>") == 6
    assert "Democratic engagement" in not_met
