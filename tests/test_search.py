"""Search with `q`: full-text (weighted, stemmed, typo-tolerant) on PostgreSQL and on SQLite
(FTS5), every word elsewhere."""

import pytest
from django.db import connection

from casestudies.discovery.search import search
from casestudies.models import CaseStudy, Contact, Theme
from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory


def found(client, query, **params):
    response = client.get("/case-studies/", {"q": query, **params})
    assert response.status_code == 200
    return [c.slug for c in response.context["case_studies"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Trueman hub", ["community-covid-response"]),  # an organisation name and a body word
        ("Lucy", ["strategy-consult-birmingham-cc"]),  # a contact's name
        ("wellbeing", ["strategy-consult-birmingham-cc"]),
        ("COVID-19", ["community-covid-response"]),
        ("Community hubs", ["community-covid-response"]),  # a theme
        ("Birmingham Hyndburn", []),  # every word must match
    ],
)
def test_search_finds_every_word_in_any_searchable_text(client, demo, query, expected):
    assert found(client, query) == expected


@pytest.mark.django_db
def test_search_keeps_the_other_filters(client, demo):
    assert found(client, "Trueman", principle="social-partnership") == [
        "strategy-consult-birmingham-cc"
    ]


@pytest.mark.django_db
def test_search_never_shows_hidden_case_studies(client, principles):
    CaseStudyFactory(title="Hidden gem", summary="Secret", draft=True)
    CaseStudyFactory(title="Scheduled gem", summary="Secret", scheduled=True)
    assert found(client, "gem") == []


@pytest.mark.django_db
def test_relevance_sort_is_offered_only_when_searching(client, demo):
    assert 'value="relevance"' not in client.get("/case-studies/").text
    assert 'value="relevance" selected' in client.get("/case-studies/?q=council").text


# Full-text search (PostgreSQL, and SQLite's FTS5) ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Hyndbrun", ["community-covid-response"]),
        ("consultaton", ["strategy-consult-birmingham-cc"]),
        ("Birmingam wellbeing", ["strategy-consult-birmingham-cc"]),
    ],
)
def test_typos_still_find_the_case_study(client, demo, typo, expected):
    assert found(client, typo) == expected


@pytest.mark.django_db
def test_english_stemming_matches_other_forms_of_a_word(client, demo):
    assert found(client, "consulting") == ["strategy-consult-birmingham-cc"]
    assert "community-covid-response" in found(client, "evaluations")


@pytest.mark.django_db
def test_title_matches_rank_above_summary_and_body_matches(client, principles):
    CaseStudyFactory(slug="in-body", body="<p>Allotments for all.</p>")
    CaseStudyFactory(slug="in-summary", summary="Allotments in every ward.")
    CaseStudyFactory(slug="in-title", title="Allotments for the borough")
    assert found(client, "allotments") == ["in-title", "in-summary", "in-body"]
    assert found(client, "allotments", sort="oldest") == ["in-body", "in-summary", "in-title"]


@pytest.mark.django_db
def test_a_search_matching_too_many_is_shown_newest_first_and_says_so(
    client, principles, monkeypatch
):
    monkeypatch.setattr("casestudies.discovery.filters.RANKED_AT_MOST", 2)
    CaseStudyFactory(slug="in-body", body="<p>Allotments for all.</p>", year=2020)
    CaseStudyFactory(slug="in-title", title="Allotments for the borough")
    assert found(client, "allotments") == ["in-title", "in-body"]  # two: ranked
    assert "shown newest first" not in client.get("/case-studies/?q=allotments").text
    CaseStudyFactory(slug="newest", summary="Allotments in every ward.")  # three: by date
    assert found(client, "allotments") == ["newest", "in-title", "in-body"]
    assert "shown newest first" in client.get("/case-studies/?q=allotments").text
    # Narrowed by a filter, the results are few enough to rank again.
    assert found(client, "allotments", year=2023) == ["in-title", "newest"]


@pytest.mark.django_db
def test_results_ranked_in_memory_come_in_the_databases_order_page_by_page(
    client, principles, settings
):
    settings.FACET_INDEX_SECONDS = 300  # ranks kept between requests, as in production
    for n in range(25):
        CaseStudyFactory(
            slug=f"match-{n}",
            title="Allotments" if n % 5 == 0 else f"Project {n}",
            summary="Allotments and allotments" if n % 3 == 0 else "A plot",
            body=f"<p>{'allotments ' * (n % 4)}for all.</p>",
            principles=principles[: 1 + n % 2],
        )
    expected = [
        c.slug
        for c in search(CaseStudy.objects.published(), "allotments").order_by(
            "-rank", "-published_at", "-pk"
        )
    ]
    assert len(expected) == 22  # n = 4, 8 and 16 mention no allotments
    assert found(client, "allotments") + found(client, "allotments", page=2) == expected
    # Narrowed by a principle: the same order, those meeting it only.
    second = principles[1].slug
    meeting = [
        slug for slug in expected if CaseStudy.objects.filter(slug=slug, principles__slug=second)
    ]
    assert found(client, "allotments", principle=second) == meeting
    # A new worker that sees the narrowed search first reads the other ranks when it needs them.
    from casestudies.discovery import facets

    facets.forget()
    assert found(client, "allotments", principle=second) == meeting
    assert found(client, "allotments") + found(client, "allotments", page=2) == expected


@pytest.mark.django_db
def test_matches_are_highlighted_and_the_text_is_escaped(client, principles):
    CaseStudyFactory(
        summary="Fish & chips <script>alert(1)</script> for everyone",
        body="<p>The chips were <b>hot</b>.</p>",
    )
    text = client.get("/case-studies/?q=chips").text
    assert "Fish &amp; <mark>chips</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "The <mark>chips</mark> were" in text
    assert "<script>alert(1)</script>" not in text


@pytest.mark.django_db
def test_the_stored_search_document_follows_every_change(client, principles):
    council = OrganisationFactory(name="Kirklees Council", slug="kirklees")
    contact = ContactFactory(name="Ada Example", organisation=council)
    case_study = CaseStudyFactory(slug="followed", councils=[council])
    assert found(client, "Kirklees") == ["followed"]

    council.name = "Calderdale Council"
    council.save()
    assert found(client, "Calderdale") == ["followed"]
    assert found(client, "Kirklees") == []

    case_study.themes.add("Allotments")
    assert found(client, "allotments") == ["followed"]
    theme = Theme.objects.get(name="Allotments")
    theme.name = "Community gardens"
    theme.save()
    assert found(client, "gardens") == ["followed"]
    case_study.themes.clear()
    assert found(client, "gardens") == []

    case_study.contacts.add(contact)
    assert found(client, "Ada") == ["followed"]
    Contact.objects.get(pk=contact.pk).delete()
    assert found(client, "Ada") == []

    case_study.title = "Renamed entirely"
    case_study.save()
    assert found(client, "renamed") == ["followed"]
    case_study.roles.all().delete()
    assert found(client, "Calderdale") == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_vector_has_a_gin_index_and_pg_trgm_is_installed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname IN "
            "('casestudy_search_vector', 'searchword_trigram') ORDER BY indexname"
        )
        definitions = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
    assert "USING gin (search_vector)" in definitions[0]
    assert "gin_trgm_ops" in definitions[1]


@pytest.mark.postgres
@pytest.mark.django_db
def test_long_texts_are_kept_out_of_the_case_study_rows(principles):
    """So that reading the rows of a search's matches reads little (see migration 0009)."""
    # About 1 KB that hardly compresses: kept in the row by default (up to 2 KB), apart here.
    words = [f"word{n * 7919 % 10007}" for n in range(100)]
    CaseStudyFactory(body="<p>" + " ".join(words) + "</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions, pg_relation_size(reltoastrelid) FROM pg_class "
            "WHERE relname = 'casestudies_casestudy'"
        )
        options, stored_apart = cursor.fetchone()
    assert "toast_tuple_target=128" in options
    assert stored_apart > 0


@pytest.mark.django_db
def test_queryset_search_matches_the_page(principles):
    CaseStudyFactory(slug="found", summary="Participatory budgeting in the ward")
    assert [c.slug for c in search(CaseStudy.objects.published(), "budgetting")] == ["found"]


# The word search (databases without full-text search) ----------------------------------------


@pytest.mark.django_db
def test_fallback_search_needs_every_word(principles):
    CaseStudyFactory(slug="both", summary="Participatory budgeting in the ward")
    CaseStudyFactory(slug="one", summary="Participatory design")
    found = CaseStudy.objects.contains_every_word("ward participatory")
    assert [c.slug for c in found] == ["both"]
    assert [c.slug for c in search(CaseStudy.objects.all(), "ward participatory")] == ["both"]


def test_highlights_escape_everything_but_the_marks():
    from casestudies.discovery.highlighting import highlight_all, stems

    html = highlight_all("Fish & <chips> <script>x</script> opened", stems("chip open"))
    assert html == (
        "Fish &amp; &lt;<mark>chips</mark>&gt; &lt;script&gt;x&lt;/script&gt; <mark>opened</mark>"
    )
    assert highlight_all("Nothing here", stems("chips")) is None


def test_an_excerpt_is_the_body_around_its_best_cluster_of_matches():
    from casestudies.discovery.highlighting import excerpt, stems

    filler = " ".join(f"word{n}" for n in range(60))
    body = (
        f"<p>A council here.</p><p>{filler}</p>"
        "<p>The council&#39;s housing plan &amp; more.</p>"
        f"<p>{filler}</p>"
    )
    html = excerpt(body, stems("housing councils"))
    # Both words, rather than the first lone match; tags gone, entities escaped once.
    assert "The <mark>council</mark>&#x27;s <mark>housing</mark> plan &amp; more." in html
    assert "A council here" not in html
    assert len(html.split()) <= 40
    assert excerpt("<p>Nothing to see.</p>", stems("housing")) is None


@pytest.mark.django_db
def test_search_results_are_highlighted_on_every_database(client, principles):
    CaseStudyFactory(
        summary="Community energy for every ward", body="<p>Solar panels on <i>schools</i>.</p>"
    )
    text = client.get("/case-studies/?q=energy+schools").text
    assert "Community <mark>energy</mark> for every ward" in text
    assert "Solar panels on <mark>schools</mark>." in text
    # Without a search, the plain summary and no excerpt.
    text = client.get("/case-studies/").text
    assert "Community energy for every ward" in text and "Solar panels" not in text


@pytest.mark.django_db
def test_spelling_is_learnt_from_public_case_studies_only(client, principles):
    """A draft's words never shape a public search: "Todmordon" is corrected to the published
    "Todmorden", never to the draft's "Todmarden"; and an unpublished case study's words are
    forgotten."""
    from casestudies.models import SearchWord

    draft = CaseStudyFactory(slug="secret", draft=True, summary="Todmarden allotments")
    assert not SearchWord.objects.filter(word="todmarden").exists()
    live = CaseStudyFactory(slug="live", summary="Calderbrook housing")
    assert SearchWord.objects.filter(word="calderbrook").exists()
    live.status = CaseStudy.Status.DRAFT
    live.save()
    assert not SearchWord.objects.filter(word="calderbrook").exists()
    assert SearchWord.objects.filter(word="housing").exists() is False
    draft.status = CaseStudy.Status.PUBLISHED
    draft.published_at = live.published_at
    draft.save()
    assert SearchWord.objects.filter(word="todmarden").exists()
    draft.delete()
    assert not SearchWord.objects.filter(word="todmarden").exists()
    assert not SearchWord.objects.filter(word="allotments").exists()


@pytest.mark.django_db
def test_the_search_box_shows_the_words_searched_for_escaped_and_marks_too_long_ones(client):
    """The filter form's search box holds what was typed (escaped), labelled; a search too long
    to run gives the page with the box marked invalid, so that it can be shortened."""
    page = client.get("/case-studies/", {"q": 'food "growing" <b>'}).content.decode()
    assert '<label for="id_q">Search:</label>' in page
    assert (
        '<input type="search" name="q" value="food &#34;growing&#34; &lt;b&gt;" maxlength="200" '
        'id="id_q">'
    ) in page
    assert '<input type="search" name="q" maxlength="200" id="id_q">' in (
        client.get("/case-studies/").content.decode()
    )
    too_long = client.get("/case-studies/", {"q": "x" * 201})
    assert too_long.status_code == 400
    assert 'maxlength="200" aria-invalid="true" id="id_q">' in too_long.content.decode()
