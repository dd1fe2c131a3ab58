"""Facet counts beside each filter option, removable chips and a shareable URL."""

import re

import pytest

from tests.factories import CaseStudyFactory, OrganisationFactory


@pytest.fixture
def by_slug(principles):
    return {p.slug: p for p in principles}


@pytest.fixture
def library(by_slug):
    council = OrganisationFactory(name="Kirklees Council", slug="kirklees")
    other = OrganisationFactory(name="Oldham Council", slug="oldham")
    CaseStudyFactory(
        title="Food and learning",
        principles=[by_slug["learning"], by_slug["innovation"]],
        councils=[council],
        delivered_by=[council],  # the same organisation in two roles counts once
        themes=["Food"],
        year=2021,
    )
    CaseStudyFactory(
        title="Housing and learning",
        principles=[by_slug["learning"]],
        councils=[other],
        themes=["Housing"],
        year=2022,
        kind="policy_lab",
    )
    CaseStudyFactory(
        title="Housing innovation",
        principles=[by_slug["innovation"], by_slug["co-production"]],
        councils=[other],
        themes=["Housing", "Food"],
        year=2022,
    )
    CaseStudyFactory(
        title="Secret draft", principles=[by_slug["learning"]], themes=["Secret"], draft=True
    )


def facet(response, name):
    return {o.value: o.count for o in response.context["facets"][name]}


@pytest.mark.django_db
def test_unfiltered_counts_are_published_case_studies_per_option(client, library):
    response = client.get("/case-studies/")
    assert facet(response, "principle")["learning"] == 2
    assert facet(response, "principle")["innovation"] == 2
    assert facet(response, "principle")["walking-the-talk"] == 0
    assert facet(response, "organisation") == {"kirklees": 1, "oldham": 2}
    assert facet(response, "theme") == {"food": 2, "housing": 2}
    assert facet(response, "kind") == {"case_study": 2, "policy_lab": 1, "prototype": 0}
    # The draft's year (2023) is not offered: hidden case studies leave no trace.
    assert facet(response, "year") == {"2022": 2, "2021": 1}


@pytest.mark.django_db
def test_every_year_between_the_first_and_last_is_offered(client):
    CaseStudyFactory(title="Early", year=2019)
    CaseStudyFactory(title="Later", year=2021)
    response = client.get("/case-studies/")
    assert facet(response, "year") == {"2021": 1, "2020": 0, "2019": 1}


@pytest.mark.django_db
def test_counts_combine_with_the_other_active_filters(client, library):
    response = client.get("/case-studies/?theme=housing")
    # Adding a principle narrows the two housing case studies.
    assert facet(response, "principle")["learning"] == 1
    assert facet(response, "principle")["co-production"] == 1
    # A single-choice facet counts as if its own choice were changed.
    assert facet(response, "theme") == {"food": 2, "housing": 2}
    assert facet(response, "organisation") == {"kirklees": 0, "oldham": 2}


@pytest.mark.django_db
def test_all_mode_counts_narrow_and_any_mode_counts_widen(client, library):
    all_mode = client.get("/case-studies/?principle=learning")
    assert facet(all_mode, "principle")["innovation"] == 1
    assert facet(all_mode, "principle")["learning"] == 2
    any_mode = client.get("/case-studies/?principle=learning&match=any")
    assert facet(any_mode, "principle")["innovation"] == 3
    assert facet(any_mode, "principle")["co-production"] == 3
    assert facet(any_mode, "principle")["walking-the-talk"] == 2


@pytest.mark.django_db
def test_each_count_is_what_choosing_the_option_gives(client, library):
    counts = facet(client.get("/case-studies/?theme=food"), "principle")
    for slug, count in counts.items():
        response = client.get(f"/case-studies/?theme=food&principle={slug}")
        assert response.context["paginator"].count == count, slug


@pytest.mark.django_db
def test_zero_count_options_are_shown_but_cannot_be_chosen(client, library):
    text = client.get("/case-studies/?theme=housing").text
    assert re.search(r'<option value="kirklees" disabled>Kirklees Council \(0\)</option>', text)
    assert re.search(r'value="walking-the-talk" id="id_principle_\d+" disabled>', text)
    assert '<option value="oldham">Oldham Council (2)</option>' in text


@pytest.mark.django_db
def test_organisation_and_theme_options_are_escaped_and_show_the_choice(client, library, by_slug):
    odd = OrganisationFactory(name='Bury & <b>"Ramsbottom"</b>', slug="bury")
    CaseStudyFactory(principles=[by_slug["learning"]], councils=[odd], themes=["Tea & <i>cake"])
    text = client.get("/case-studies/?organisation=kirklees&theme=housing").text
    assert (
        '<option value="bury" disabled>Bury &amp; &lt;b&gt;&quot;Ramsbottom&quot;&lt;/b&gt; (0)'
        "</option>" in text
    )
    assert '<option value="tea-icake" disabled>Tea &amp; &lt;i&gt;cake (0)</option>' in text
    # Chosen, it is selected and never disabled, even where nothing else narrows to it.
    assert '<option value="kirklees" selected>Kirklees Council (0)</option>' in text
    assert '<option value="housing" selected>Housing (0)</option>' in text
    assert "<b>" not in text and "<i>cake" not in text


@pytest.mark.django_db
def test_hidden_case_studies_and_their_themes_are_not_counted(client, library):
    response = client.get("/case-studies/")
    assert "secret" not in facet(response, "theme")
    assert "Secret" not in response.text


@pytest.mark.django_db
def test_active_filters_are_removable_chips_with_clear_all(client, library):
    response = client.get("/case-studies/?principle=learning&principle=innovation&theme=food")
    chips = dict(response.context["chips"])
    assert chips["Principle: Learning"] == "?principle=innovation&theme=food"
    assert chips["Theme: Food"] == "?principle=learning&principle=innovation"
    assert 'class="clear-all">Clear all filters</a>' in response.text
    removed = client.get("/case-studies/" + chips["Theme: Food"])
    assert removed.context["paginator"].count == 1


@pytest.mark.django_db
def test_the_form_shows_the_state_from_the_url(client, library):
    text = client.get("/case-studies/?principle=learning&match=any&year=2022&sort=title").text
    assert re.search(r'value="learning" id="id_principle_\d+" checked>', text)
    assert 'value="any" id="id_match_1" checked>' in text
    assert '<option value="2022" selected>' in text
    assert '<option value="title" selected>' in text


@pytest.mark.django_db
def test_result_count_is_announced_to_screen_readers(client, library):
    text = client.get("/case-studies/?theme=food").text
    assert '<p id="result-count" role="status" aria-live="polite">2 case studies found' in text
    assert '<form id="filters"' in text and '<section id="results"' in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Food and learning", "Housing and learning", "Housing innovation"]),
        ("oldest", ["Food and learning", "Housing and learning", "Housing innovation"]),
        ("newest", ["Housing innovation", "Housing and learning", "Food and learning"]),
        ("relevance", ["Housing innovation", "Housing and learning", "Food and learning"]),
    ],
)
def test_sorting(client, library, sort, expected):
    response = client.get(f"/case-studies/?sort={sort}")
    assert [c.title for c in response.context["case_studies"]] == expected


@pytest.mark.django_db
def test_organisation_filter_does_not_duplicate_a_case_study_in_two_roles(client, library):
    response = client.get("/case-studies/?organisation=kirklees")
    assert [c.title for c in response.context["case_studies"]] == ["Food and learning"]
