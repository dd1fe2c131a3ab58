"""The same searches find the same case studies first on SQLite (FTS5) and on PostgreSQL.

The table is tests/search_cases.py; this module runs in both runs of the suite (make test on
SQLite, and again with DATABASE_URL on PostgreSQL), asserting the same expectations in each.
`python bench/search_comparison.py` prints what each database finds, side by side.
"""

import pytest

from tests.search_cases import SEARCHES, make_collection


@pytest.fixture
def collection(db):
    make_collection()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "query", "expected"), SEARCHES, ids=[f"{kind}: {query}" for kind, query, _ in SEARCHES]
)
def test_the_same_searches_find_the_same_case_studies_first(
    client, collection, kind, query, expected
):
    response = client.get("/case-studies/", {"q": query})
    assert response.status_code == 200
    found = [case_study.slug for case_study in response.context["case_studies"]]
    assert found[: len(expected) or None] == expected
    assert "draft-mutuals" not in found


def fts_rows():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM casestudies_casestudy_fts ORDER BY rowid")
        return [pk for (pk,) in cursor.fetchall()]


@pytest.mark.django_db
def test_sqlite_keeps_documents_of_published_case_studies_only(client, principles, is_postgres):
    """Unpublishing, deleting, or a status changed behind the application's back (a queryset
    update sends no signal) takes a case study out of SQLite's full-text table at once."""
    from casestudies.models import CaseStudy
    from tests.factories import CaseStudyFactory

    if is_postgres:
        pytest.skip("SQLite's FTS5 table; PostgreSQL keeps its document in a column")
    live = CaseStudyFactory(slug="live", summary="Allotments in every ward")
    draft = CaseStudyFactory(slug="draft", summary="Allotments in secret", draft=True)
    gone = CaseStudyFactory(slug="gone", summary="Allotments no more")
    assert fts_rows() == sorted([live.pk, gone.pk])

    gone.status = CaseStudy.Status.DRAFT
    gone.save()
    assert fts_rows() == [live.pk]
    CaseStudy.objects.filter(pk=live.pk).update(status=CaseStudy.Status.IN_REVIEW)
    assert fts_rows() == []
    assert client.get("/case-studies/", {"q": "allotments"}).context["case_studies"] == []

    draft.status = CaseStudy.Status.PUBLISHED
    draft.published_at = gone.published_at
    draft.save()
    assert fts_rows() == [draft.pk]
    draft.delete()
    assert fts_rows() == []


@pytest.mark.django_db
def test_the_full_text_tables_are_sqlites_only(is_postgres):
    """Migration 0015 does nothing on PostgreSQL."""
    from django.db import connection

    tables = connection.introspection.table_names()
    assert ("casestudies_casestudy_fts" in tables) is not is_postgres
    assert ("casestudies_searchword_trigrams" in tables) is not is_postgres
