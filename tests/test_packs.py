"""Case-study packs: any list as a PDF with a cover, contents by principle, each case study
with its principles, organisations, themes and contacts, and page numbers; only published
case studies and what a visitor may see; a limit; kept per content version."""

import io
import re

import pytest
from pypdf import PdfReader

from casestudies.opendata import packs
from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def pango(request):
    """WeasyPrint needs Pango, a system library: without it the tests of drawn packs skip,
    saying so (in CI, where .ci/run installs it, they fail instead)."""
    if request.node.get_closest_marker("no_pango"):
        return
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        import os

        if os.environ.get("CI"):
            pytest.fail(f"WeasyPrint cannot load Pango ({error}); .ci/run installs it")
        pytest.skip(f"WeasyPrint cannot load Pango ({error}): apt-get install libpango-1.0-0")


def pdf_pages(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def content(principles):
    learning, innovation = principles[2], principles[1]
    council = OrganisationFactory(name="Riverside Council", slug="riverside")
    partner = OrganisationFactory(name="Good Partners Ltd", slug="good-partners", kind="partner")
    shown = ContactFactory(
        name="Ada Shown", organisation=partner, email="ada@example.org", email_visibility="everyone"
    )
    private = ContactFactory(
        name="Bo Private", organisation=partner, email="bo@example.org", phone="07000 111222"
    )
    first = CaseStudyFactory(
        title="Food hubs in Riverside",
        principles=[learning, innovation],
        councils=[council],
        delivered_by=[partner],
        themes=["Food"],
        contacts=[shown, private],
    )
    second = CaseStudyFactory(
        title="Tenants on the board", principles=[learning], themes=["Housing"]
    )
    CaseStudyFactory(title="A secret draft", principles=[learning], draft=True)
    CaseStudyFactory(title="Coming next week", principles=[learning], scheduled=True)
    return {"first": first, "second": second, "learning": learning, "innovation": innovation}


@pytest.mark.django_db
def test_a_pack_has_a_cover_contents_by_principle_and_each_case_study(client, content):
    pages = pdf_pages(client.get("/case-studies/pack.pdf"))
    assert len(pages) == 4, "cover, contents, a page for each case study"
    cover, contents, *studies = pages
    assert "Case studies" in cover and "Every published case study" in cover
    assert "2 case studies" in cover
    # Contents: grouped by principle, in the principles' order, with page numbers.
    learning = contents.index("Learning (2)")
    innovation = contents.index("Innovation (1)")
    assert innovation < learning
    assert re.search(r"Food hubs in Riverside \.+ ?[34]", contents)
    assert re.search(r"Tenants on the board \.+ ?[34]", contents)
    assert contents.count("Food hubs in Riverside") == 2, "under each principle it meets"
    food = next(page for page in studies if "Food hubs in Riverside" in page)
    for expected in (
        "Riverside Council",
        "Good Partners Ltd",
        "Food",
        "Learning",
        "Innovation",
        "Ada Shown",
        "ada@example.org",
        "Bo Private",
        "/case-studies/" + content["first"].slug + "/",
    ):
        assert expected in food, expected
    assert "Page 3 of 4" in " ".join(studies) and "Page 4 of 4" in " ".join(studies)


@pytest.mark.django_db
def test_a_pack_holds_only_what_a_visitor_may_see(client, content):
    text = " ".join(pdf_pages(client.get("/case-studies/pack.pdf")))
    assert "A secret draft" not in text
    assert "Coming next week" not in text
    assert "bo@example.org" not in text, "an email address without consent"
    assert "07000 111222" not in text and "01234 567890" not in text, "phones without consent"


@pytest.mark.django_db
def test_a_filtered_list_gives_the_pack_of_that_list(client, content):
    pages = pdf_pages(client.get("/case-studies/pack.pdf?theme=housing"))
    text = " ".join(pages)
    assert "Theme: Housing" in pages[0] and "1 case study" in pages[0]
    assert "Tenants on the board" in text
    assert "Food hubs in Riverside" not in text
    assert "Innovation" not in pages[1], "a principle none of the pack meets is left out"


@pytest.mark.django_db
def test_the_list_links_to_its_pack_except_when_it_is_empty(client, content):
    text = client.get("/case-studies/?theme=housing").text
    assert 'href="/case-studies/pack.pdf?theme=housing"' in text
    empty = client.get("/case-studies/?q=nothing-matches-this-at-all").text
    assert "pack.pdf" not in empty
    response = client.get("/case-studies/pack.pdf?q=nothing-matches-this-at-all")
    assert response.status_code == 404
    assert "No published case studies match these filters" in response.text


@pytest.mark.django_db
def test_a_list_over_the_limit_gets_a_message_not_a_pack(client, content, settings):
    settings.PACK_MAX_CASE_STUDIES = 1
    response = client.get("/case-studies/pack.pdf")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "This list has 2 case studies, and a PDF pack holds at most 1." in response.text
    text = client.get("/case-studies/").text
    assert "pack.pdf" not in text
    assert "PDF packs hold up to 1 case studies: narrow the list for one" in text
    assert client.get("/case-studies/pack.pdf?theme=housing").status_code == 200


@pytest.mark.django_db
def test_bad_filters_get_the_400_page(client, content):
    response = client.get("/case-studies/pack.pdf?principle=no-such-principle")
    assert response.status_code == 400
    assert "Some filters could not be used" in response.text


@pytest.mark.django_db
def test_a_pack_is_kept_until_the_content_changes(client, content, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CONTENT_VERSION_SECONDS = 0
    drawn = []
    real = packs.render_pdf

    def counting(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(packs, "render_pdf", counting)
    first = client.get("/case-studies/pack.pdf?theme=housing", HTTP_COOKIE="sessionid=x").content
    again = client.get("/case-studies/pack.pdf?theme=housing", HTTP_COOKIE="sessionid=x").content
    assert first == again and len(drawn) == 1
    content["second"].title = "Tenants run the board"
    content["second"].save()
    changed = client.get("/case-studies/pack.pdf?theme=housing", HTTP_COOKIE="sessionid=x")
    assert len(drawn) == 2
    assert "Tenants run the board" in " ".join(pdf_pages(changed))


def test_the_renderer_fetches_nothing():
    with pytest.raises(ValueError, match="loads no resources"):
        packs._fetch_nothing("http://169.254.169.254/latest/meta-data/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"q": "\u202eevil\u202c"},
        {"q": "a & b | c ! (d) <-> 'e':*"},
        {"q": "<script>alert(1)</script>"},
        {"year": "99999999999999999999"},
        {"page": "-1", "sort": "junk"},
        {"principle": "../../etc/passwd"},
    ],
)
def test_odd_input_gets_a_pack_or_a_clear_page_never_an_error(client, content, query):
    response = client.get("/case-studies/pack.pdf", query)
    assert response.status_code in (200, 400, 404)
    if response.status_code != 200:
        assert response["Content-Type"].startswith("text/html")
        assert "<script>alert(1)</script>" not in response.text


@pytest.mark.no_pango
@pytest.mark.django_db
def test_without_pango_the_pack_is_a_clear_503_page(client, principles, monkeypatch):
    CaseStudyFactory(title="Solar co-op", principles=[principles[0]])

    def missing(*args, **kwargs):
        raise packs.PackRendererMissing("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(packs, "render_pdf", missing)
    response = client.get("/case-studies/pack.pdf")
    assert response.status_code == 503
    assert "PDF packs are unavailable" in response.text
