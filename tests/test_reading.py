"""Reading a case study and a list: the page as a story (principles met first, with their
commitments; dates that mean something; no repeated text), cards' compact principle row and
the filters behind a disclosure that says how many are active."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from casestudies.models import CaseStudy
from casestudies.models.repetition import repeats_body
from principles.models import Principle
from tests.factories import CaseStudyFactory

BODY = (
    "<p>The council asked its residents. We made sure that people\u2019s voices were heard in "
    "groups that can sometimes be underrepresented and it\u2019s great to know that these voices "
    "have become an important part of shaping the future of health in the city.</p>"
)


@pytest.fixture
def walking_the_talk(principles):
    return Principle.objects.get(slug="walking-the-talk")


@pytest.mark.django_db
def test_walking_the_talk_is_followed_by_its_commitments_on_a_case_study(client, walking_the_talk):
    case_study = CaseStudyFactory(principles=[walking_the_talk])
    text = client.get(case_study.get_absolute_url()).text
    statement = walking_the_talk.statement
    assert statement.endswith("operational by:")
    after = text.split(statement, 1)[1]
    commitments = list(walking_the_talk.commitments.all())
    assert len(commitments) == 6
    for commitment in commitments:
        assert f"<strong>{commitment.title}:</strong>" in after.split("</li>\n    \n    </ul>")[0]
    assert "Co-operation among members" in after


@pytest.mark.django_db
def test_principles_met_come_first_and_those_not_met_are_only_named_in_a_disclosure(
    client, principles
):
    met = principles[2]
    case_study = CaseStudyFactory(principles=[met])
    text = client.get(case_study.get_absolute_url()).text
    section = text.split('id="principles-heading"', 1)[1].split("</section>", 1)[0]
    shown, _, disclosed = section.partition("<details")
    assert met.title in shown and met.statement in shown
    for other in principles:
        if other != met:
            assert other.title not in shown
            assert other.title in disclosed
            assert other.statement not in disclosed, "a principle not met is only named"
    assert "Principles not met (6)" in disclosed
    assert "<details" in section and " open" not in section.split("<details", 1)[1][:40]


@pytest.mark.django_db
def test_a_case_study_meeting_every_principle_has_no_disclosure(client, principles):
    case_study = CaseStudyFactory(principles=principles)
    text = client.get(case_study.get_absolute_url()).text
    assert "This work meets 7 of the network\u2019s 7 principles." in text
    assert "Principles not met" not in text


def dates_line(client, case_study):
    text = client.get(case_study.get_absolute_url()).text
    line = re.search(r'<p class="dates">(.*?)</p>', text, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", line).split())


@pytest.mark.django_db
def test_dates_are_the_year_of_the_work_and_first_publication_without_an_update(client):
    published = timezone.make_aware(dt.datetime(2022, 9, 1, 10))
    case_study = CaseStudyFactory(year=2021, published_at=published)
    assert dates_line(client, case_study) == "Work of 2021 First published 1 September 2022"


@pytest.mark.django_db
def test_saving_without_changing_the_text_is_not_an_update(client, principles):
    published = timezone.now() - dt.timedelta(days=400)
    case_study = CaseStudyFactory(published_at=published)
    case_study = CaseStudy.objects.get(pk=case_study.pk)
    case_study.status = CaseStudy.Status.PUBLISHED
    case_study.year = 2020
    case_study.save()
    case_study.principles.set(principles[:2])
    case_study.refresh_from_db()
    assert case_study.text_updated_at is None
    assert case_study.updated_at > published, "updated_at does move"
    assert "Updated" not in dates_line(client, case_study)


@pytest.mark.django_db
def test_editing_the_text_after_publication_shows_when(client):
    case_study = CaseStudyFactory(published_at=timezone.now() - dt.timedelta(days=30))
    case_study = CaseStudy.objects.get(pk=case_study.pk)
    case_study.body = "<p>A corrected account of what happened.</p>"
    case_study.save()
    case_study.refresh_from_db()
    assert case_study.text_updated_at is not None
    today = timezone.localdate().strftime("%-d %B %Y")
    assert dates_line(client, case_study).endswith(f"Updated {today}")
    text = client.get(case_study.get_absolute_url()).text
    assert f'article:modified_time" content="{case_study.text_updated_at.isoformat()}' in text
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)[1]
    )
    assert data["dateModified"][:10] == case_study.text_updated_at.date().isoformat()
    assert data["dateModified"][:10] != data["datePublished"][:10]


@pytest.mark.django_db
def test_an_edit_on_the_day_of_publication_is_not_an_update(client):
    case_study = CaseStudyFactory(published_at=timezone.now())
    case_study = CaseStudy.objects.get(pk=case_study.pk)
    case_study.title = "A better title"
    case_study.save(update_fields=["title"])
    case_study.refresh_from_db()
    assert case_study.text_updated_at is not None
    assert "Updated" not in dates_line(client, case_study)


@pytest.mark.django_db
def test_a_reverted_instance_not_loaded_from_the_database_is_compared_with_it():
    case_study = CaseStudyFactory()
    copy = CaseStudy(**{f.attname: getattr(case_study, f.attname) for f in CaseStudy._meta.fields})
    copy.save()
    assert CaseStudy.objects.get(pk=case_study.pk).text_updated_at is None
    copy = CaseStudy(**{f.attname: getattr(case_study, f.attname) for f in CaseStudy._meta.fields})
    copy.summary = "Changed"
    copy.save()
    assert CaseStudy.objects.get(pk=case_study.pk).text_updated_at is not None


def test_a_trimmed_quote_of_the_body_repeats_it_and_new_words_do_not():
    lifted = (
        "It's great to know that these voices have become an important part of shaping the "
        "future of health in the city."
    )
    assert repeats_body(lifted, BODY)
    assert not repeats_body("Residents now sit on the board that decides.", BODY)
    assert not repeats_body("", BODY)
    assert repeats_body("The council asked", BODY)
    assert not repeats_body("The council refused", BODY)


@pytest.mark.django_db
def test_a_pull_quote_that_repeats_the_body_is_not_shown_again(client):
    repeated = CaseStudyFactory(
        body=BODY,
        pull_quote="It\u2019s great to know that these voices have become an important part of "
        "shaping the future of health in the city.",
        pull_quote_attribution="A manager",
    )
    text = client.get(repeated.get_absolute_url()).text
    assert 'class="pull-quote"' not in text
    assert text.count("have become an important part of shaping") == 1
    fresh = CaseStudyFactory(
        body=BODY, pull_quote="Residents now sit on the board.", pull_quote_attribution="A resident"
    )
    text = client.get(fresh.get_absolute_url()).text
    assert 'class="pull-quote"' in text and "Residents now sit on the board." in text


@pytest.mark.django_db
def test_a_card_shows_two_principles_by_name_and_the_others_as_named_icons(client, principles):
    CaseStudyFactory(title="All seven", principles=principles)
    text = client.get("/case-studies/").text
    row = re.search(r'<ul class="badges badges--compact"[^>]*>(.*?)</ul>', text, re.S)
    assert 'aria-label="Principles met (7)"' in row.group(0)
    assert row.group(1).count('class="principle-badge') == 2
    icons = re.findall(
        r'<span class="principle-icon [^"]*" title="([^"]+)">.*?'
        r'<span class="sr-only">([^<]+)</span>',
        row.group(1),
        re.S,
    )
    assert [name for name, _ in icons] == [p.title for p in principles[2:]]
    assert all(title == name for title, name in icons), "each icon is named for screen readers"


@pytest.mark.django_db
def test_the_filters_are_in_a_closed_disclosure_that_counts_the_active_ones(client, principles):
    CaseStudyFactory(principles=principles[:2], themes=["Housing"])
    text = client.get("/case-studies/").text
    panel = re.search(r'<details class="filter-panel[^"]*" id="filter-panel"[^>]*>', text).group(0)
    assert " open" not in panel, "closed: on a phone the results come first"
    assert "data-open-when-wide" in panel
    assert "(none active)" in text
    assert text.index('id="filter-panel"') < text.index('<form id="filters"')
    assert text.index('<form id="filters"') < text.index("</details>")
    filtered = client.get(f"/case-studies/?principle={principles[0].slug}&theme=housing").text
    assert re.search(r'<span id="filter-panel-count"[^>]*>\(2 active\)</span>', filtered)


@pytest.mark.django_db
def test_the_coverage_page_keeps_its_filters_closed_above_the_table(client, principles):
    CaseStudyFactory(principles=principles[:1])
    text = client.get("/principles/coverage/").text
    panel = re.search(r'<details class="filter-panel[^"]*"[^>]*>', text).group(0)
    assert "data-open-when-wide" not in panel and "filter-panel--sidebar" not in panel
    region = re.search(r'<div class="table-scroll"[^>]*>', text).group(0)
    assert 'role="region"' in region and 'tabindex="0"' in region
    assert 'aria-labelledby="coverage-caption"' in region
    assert 'aria-describedby="coverage-hint"' in region
    assert "to see all 7 principles" in text
