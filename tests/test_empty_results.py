"""The list's empty and error states give advice that fits what was asked, with counts."""

import re

import pytest

from tests.factories import CaseStudyFactory


def empty_state(client, **params):
    response = client.get("/case-studies/", params)
    text = response.content.decode()
    match = re.search(r'<div class="empty-results">(.*?)</div>', text, re.S)
    return response, text, " ".join(match.group(1).split()) if match else None


@pytest.mark.django_db
def test_a_misspelling_with_a_filter_suggests_the_corrected_search(client, demo):
    response, _, advice = empty_state(client, q="consultaton", kind="policy_lab")
    assert response.status_code == 200
    # The corrected words find the Birmingham write-up only without the Kind filter.
    assert (
        'Did you mean <a href="?q=consultation">“consultation”</a>? '
        "(1 case study, without the other filters)" in advice
    )
    assert '<a href="?q=consultaton">Remove Kind: Policy Lab</a>: 1 case study' in advice
    assert client.get("/case-studies/?q=consultation").context["paginator"].count == 1


@pytest.mark.django_db
def test_too_many_filters_names_each_one_to_drop_with_its_count(client, demo):
    _, _, advice = empty_state(
        client,
        principle=["social-partnership", "learning"],
        organisation="hyndburn-borough-council",
    )
    assert "No published case studies match these filters." in advice
    assert (
        '<a href="?principle=learning&amp;organisation=hyndburn-borough-council">'
        "Remove Principle: Social partnership</a>: 1 case study" in advice
    )
    assert (
        '<a href="?principle=social-partnership&amp;principle=learning">'
        "Remove Organisation: Hyndburn Borough Council</a>: 1 case study" in advice
    )
    # Learning alone gives nothing more than the three filters: not offered.
    assert "Remove Principle: Learning" not in advice
    assert "any of the chosen principles</a>: 1 case study" in advice


@pytest.mark.django_db
def test_words_found_nowhere_together_suggest_fewer_words(client, demo):
    _, _, advice = empty_state(client, q="consultaton Hyndburn")
    assert "Try fewer words" in advice
    assert '<a href="?q=Hyndburn">Search for “Hyndburn”</a>: 1 case study' in advice
    assert '<a href="?q=consultation">Search for “consultation”</a>: 1 case study' in advice
    assert "Remove Search" not in advice  # the search is all there is: nothing else to drop


@pytest.mark.django_db
def test_a_word_no_case_study_uses_is_named(client, demo):
    _, _, advice = empty_state(client, q="zzxqv")
    assert "No case study uses “zzxqv”: check the spelling, or try another word." in advice
    assert '<a href="/case-studies/">Clear the search</a>' in advice


@pytest.mark.django_db
def test_advice_never_counts_or_suggests_unpublished_case_studies(client, demo):
    CaseStudyFactory(slug="secret", title="Allotments in secret", draft=True)
    CaseStudyFactory(title="Scheduled allotments", scheduled=True)
    _, _, advice = empty_state(client, q="alotments")
    assert "Did you mean" not in advice  # the draft's and the scheduled one's words
    assert "allotments" not in advice.lower().replace("alotments", "")


@pytest.mark.django_db
def test_an_empty_list_offers_no_export_links(client, demo):
    _, text, _ = empty_state(client, q="zzxqv")
    assert "Download this list as CSV" not in text
    assert "export.csv" not in text
    assert "See which principles these meet" not in text
    _, text, advice = empty_state(client, q="consultation")
    assert advice is None
    assert "export.csv?q=consultation" in text


@pytest.mark.django_db
def test_invalid_filters_say_so_instead_of_advising(client, demo):
    response, text, advice = empty_state(client, year="abc")
    assert response.status_code == 400
    assert "some filters could not be used" in advice
    assert "Download this list as CSV" not in text


@pytest.mark.django_db
def test_nothing_published_yet_says_so(client, principles):
    _, _, advice = empty_state(client)
    assert advice == "<p>No case studies have been published yet.</p>"


@pytest.mark.django_db
def test_the_sort_options_are_short_enough_for_a_phone(client, demo):
    text = client.get("/case-studies/?q=council").text
    assert '<option value="relevance" selected>Relevance</option>' in text
