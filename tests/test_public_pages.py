import pytest

from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory


@pytest.fixture
def by_slug(principles):
    return {p.slug: p for p in principles}


@pytest.mark.django_db
def test_home_shows_each_principle_with_its_count_and_the_latest(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    principles = {p.slug: p.case_study_count for p in response.context["principles"]}
    assert principles["social-partnership"] == 1
    assert principles["co-production"] == 2
    latest = [c.slug for c in response.context["latest"]]
    assert latest == ["strategy-consult-birmingham-cc", "community-covid-response"]


@pytest.mark.django_db
def test_list_filters_by_several_principles_matching_all_by_default(client, by_slug):
    both = CaseStudyFactory(title="Both", principles=[by_slug["learning"], by_slug["innovation"]])
    CaseStudyFactory(title="Only learning", principles=[by_slug["learning"]])
    response = client.get("/case-studies/?principle=learning&principle=innovation")
    assert [c.title for c in response.context["case_studies"]] == [both.title]
    assert "1 case study found" in response.text


@pytest.mark.django_db
def test_list_can_match_any_of_the_principles(client, by_slug):
    CaseStudyFactory(title="Learning", principles=[by_slug["learning"]])
    CaseStudyFactory(title="Innovation", principles=[by_slug["innovation"]])
    CaseStudyFactory(title="Neither", principles=[by_slug["walking-the-talk"]])
    response = client.get("/case-studies/?principle=learning&principle=innovation&match=any")
    assert sorted(c.title for c in response.context["case_studies"]) == [
        "Innovation",
        "Learning",
    ]


@pytest.mark.django_db
def test_list_paginates_and_pages_keep_the_filters(client, by_slug):
    for _ in range(25):
        CaseStudyFactory(principles=[by_slug["learning"]])
    response = client.get("/case-studies/?principle=learning")
    assert len(response.context["case_studies"]) == 20
    assert "?principle=learning&amp;page=2" in response.text
    second = client.get("/case-studies/?principle=learning&page=2")
    assert len(second.context["case_studies"]) == 5


@pytest.mark.django_db
def test_case_study_page_shows_everything_about_the_work(client, by_slug):
    council = OrganisationFactory(name="Kirklees Council", slug="kirklees")
    partner = OrganisationFactory(name="Good Partner Ltd", slug="good-partner", kind="partner")
    case_study = CaseStudyFactory(
        title="Fair food",
        principles=[by_slug["co-production"]],
        councils=[council],
        delivered_by=[partner],
        themes=["Food"],
        pull_quote="It changed how we work.",
        pull_quote_attribution="A resident",
    )
    text = client.get(case_study.get_absolute_url()).text
    assert 'href="/principles/co-production/"' in text
    assert 'href="/organisations/kirklees/"' in text
    assert "Delivered by" in text
    assert "Good Partner Ltd" in text
    assert "Food" in text
    assert "It changed how we work." in text


@pytest.mark.django_db
def test_contact_details_are_shown_only_with_consent(client):
    shy = ContactFactory(name="Shy Person", email="shy@example.org", phone="0111 111")
    open_ = ContactFactory(
        name="Open Person",
        email="open@example.org",
        email_visibility="everyone",
        phone="0222 222",
        phone_visibility="everyone",
    )
    case_study = CaseStudyFactory(contacts=[shy, open_])
    text = client.get(case_study.get_absolute_url()).text
    assert "Shy Person" in text and "Open Person" in text
    assert "shy@example.org" not in text and "0111 111" not in text
    assert "open@example.org" in text and "0222 222" in text


@pytest.mark.django_db
def test_case_study_page_lists_its_own_themes_by_name(client):
    CaseStudyFactory(themes=["Housing", "Air quality"])
    CaseStudyFactory(themes=["Secret plans"], draft=True)
    case_study = CaseStudyFactory(themes=["Water", "Energy"])
    response = client.get(case_study.get_absolute_url())
    assert [t.name for t in response.context["case_study"].themes.all()] == ["Energy", "Water"]
    assert 'href="/case-studies/?theme=energy"' in response.text and "Housing" not in response.text


@pytest.mark.django_db
def test_related_case_studies_share_principles(client, by_slug):
    main = CaseStudyFactory(title="Main", principles=[by_slug["learning"], by_slug["innovation"]])
    close = CaseStudyFactory(title="Close", principles=[by_slug["learning"], by_slug["innovation"]])
    CaseStudyFactory(title="Far", principles=[by_slug["walking-the-talk"]])
    CaseStudyFactory(title="Hidden", principles=[by_slug["learning"]], draft=True)
    related = client.get(main.get_absolute_url()).context["related"]
    assert [c.title for c in related] == [close.title]


@pytest.mark.django_db
def test_principle_page_lists_its_case_studies(client, demo):
    response = client.get("/principles/social-partnership/")
    assert "We will strengthen the co-operative partnership" in response.text
    assert [c.slug for c in response.context["case_studies"]] == ["strategy-consult-birmingham-cc"]


@pytest.mark.django_db
def test_walking_the_talk_page_lists_its_commitments(client, principles):
    response = client.get("/principles/walking-the-talk/")
    assert "Openness of membership" in response.text


@pytest.mark.django_db
def test_organisation_page_lists_its_case_studies(client, demo):
    response = client.get("/organisations/trueman-change/")
    assert response.status_code == 200
    assert len(response.context["case_studies"]) == 2
    hyndburn = client.get("/organisations/hyndburn-borough-council/")
    assert [c.slug for c in hyndburn.context["case_studies"]] == ["community-covid-response"]


@pytest.mark.django_db
def test_search_finds_every_word_across_fields(client, demo):
    response = client.get("/case-studies/?q=Trueman+hub")
    assert [c.slug for c in response.context["case_studies"]] == ["community-covid-response"]


@pytest.mark.django_db
def test_cards_and_the_filter_form_escape_what_they_show(client, principles):
    """The card and the filter form are Jinja2 templates (casestudies/discovery/jinja.py):
    escaped as Django's are."""
    council = OrganisationFactory(name="<img src=x onerror=alert(1)> Council", slug="evil")
    CaseStudyFactory(
        title='<script>alert("t")</script> work',
        councils=[council],
        themes=["<b>bold</b> theme"],
        principles=principles[:3],
    )
    text = client.get("/case-studies/").text
    assert "<script>alert" not in text and "<img src=x" not in text and "<b>bold" not in text
    assert "&lt;script&gt;alert" in text  # the card's title
    assert "&lt;img src=x onerror=alert(1)&gt; Council" in text  # the card and the options
    assert "&lt;b&gt;bold&lt;/b&gt; theme" in text  # the theme's option


@pytest.mark.django_db
def test_the_site_header_marks_the_current_section_and_who_is_signed_in(client, django_user_model):
    """The header and footer are drawn once per section and kept (page_metadata.site_frame):
    each page still marks its own section, and only a signed-in person sees "Your account"."""

    def current(page):
        header = page.text.split('<header class="site-header">')[1].split("</header>")[0]
        return [link.split(">")[1] for link in header.split('aria-current="page"')[1:]], header

    for _ in range(2):  # the second time, from what was kept
        marked, header = current(client.get("/case-studies/"))
        assert marked == ["Case studies</a"] and "Sign in" in header
        marked, header = current(client.get("/principles/"))
        assert marked == ["Principles</a"] and "Your account" not in header
        marked, _ = current(client.get("/accessibility/"))
        assert marked == []

    client.force_login(django_user_model.objects.create_user("ada", "ada@example.org", "pw"))
    marked, header = current(client.get("/case-studies/"))
    assert marked == ["Case studies</a"] and "Your account" in header and "Sign in" not in header
    client.logout()
    assert "Sign in" in current(client.get("/case-studies/"))[1]
