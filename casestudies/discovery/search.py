"""Full-text search on PostgreSQL: the stored search document, typo tolerance, the words to mark.

Each case study stores a weighted `search_vector` (English stemming): its title weighs most (A),
then its summary and the names of its organisations, themes and contacts (B), then its body (C).
A GIN index serves the `@@` match. Typo tolerance uses pg_trgm: every word seen in a case study
is kept in `SearchWord` (with a trigram index), and a query word that is in no case study is
replaced by the most similar known words ("Hyndbrun" -> "hyndburn").

On SQLite, `SQLiteFullTextSearch` does the same with FTS5 (`fulltext_sqlite.py`): stemming,
bm25 ranks and typo tolerance from the same lexicon, so that the embedded default finds what
PostgreSQL finds. `engine(using)` is the one place that asks which database it is: it gives
`FullTextSearch` on PostgreSQL, `SQLiteFullTextSearch` on SQLite and the `WordSearch` engine
(every word found somewhere, `CaseStudyQuerySet.contains_every_word`) on any other, and callers
ask the engine.
"""

import re

import numpy
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.sql import Query

from ..models import (
    CaseStudy,
    CaseStudyOrganisation,
    SearchWord,
    ThemedCaseStudy,
)
from . import fulltext_sqlite, highlighting

CONFIG = "english"
MAX_WORDS = 20
MIN_WORD_LENGTH = 3
SIMILAR_WORDS = 3
WORD = re.compile(r"\w+", re.UNICODE)
LEXEME = re.compile(r"'((?:[^']|'')*)'")  # a lexeme in querytree's output: 'hous' & 'council'


def _names(links, key, field):
    """The names (`field`) of what `links` ties to the outer case study (by `key`), joined by
    spaces."""
    names = links.order_by().values(key).annotate(names=StringAgg(field, " ")).values("names")
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def document_parts():
    """The weighted parts of a case study's search document, as expressions on its row: its
    title (A); its summary and the names of its organisations, themes and contacts (B); its
    body without tags (C)."""
    case_study = OuterRef("pk")
    contacts = CaseStudy.contacts.through.objects.filter(casestudy=case_study)
    return {
        "A": [F("title")],
        "B": [
            F("summary"),
            _names(
                CaseStudyOrganisation.objects.filter(case_study=case_study),
                "case_study",
                "organisation__name",
            ),
            _names(
                ThemedCaseStudy.objects.filter(content_object=case_study),
                "content_object",
                "tag__name",
            ),
            _names(contacts, "casestudy", "contact__name"),
        ],
        "C": [
            Func(
                F("body"),
                Value("<[^>]+>"),
                Value(" "),
                Value("g"),
                function="regexp_replace",
                output_field=TextField(),
            )
        ],
    }


def document_vector():
    """The weighted search document (SearchVector) of a case study row."""
    vectors = [
        SearchVector(*parts, weight=weight, config=CONFIG)
        for weight, parts in document_parts().items()
    ]
    return vectors[0] + vectors[1] + vectors[2]


def document_text():
    """The plain text of a case study's search document: every part, space-separated."""
    parts = [
        Coalesce(Cast(part, TextField()), Value(""), output_field=TextField())
        for group in document_parts().values()
        for part in group
    ]
    joined = []
    for part in parts:
        joined += [part, Value(" ")]
    return Concat(*joined[:-1], output_field=TextField())


def update_search_documents(case_study_ids, using="default"):
    """Recompute the search document of these case studies (where the engine stores any)."""
    ids = [int(pk) for pk in case_study_ids if pk is not None]
    if ids:
        engine(using).update_documents(ids, using)


def words_of(case_study_ids, using="default"):
    """What `forget_words` will need once these case studies are deleted."""
    return engine(using).forget(case_study_ids, using)


def forget_words(words, using="default"):
    """Drop from the lexicon those of `words` that no public case study has any more."""
    if words:
        engine(using).forget_words(words, using)


def _update_documents(ids, using):
    """Recompute the search document of these case studies, and keep the lexicon in step.

    The lexicon (the words typo tolerance corrects to) holds the words of public case studies
    only: a draft's words never shape what the public's searches find, and the words of one
    that leaves the public are forgotten unless another public case study still has them.
    A few statements whatever the number of case studies (PostgreSQL).
    """
    CaseStudy.objects.using(using).filter(pk__in=ids).update(search_vector=document_vector())
    # A case study that is not public (any more): its words go unless a public one has them.
    hidden = set(ids) - set(
        CaseStudy.objects.using(using).published().filter(pk__in=ids).values_list("pk", flat=True)
    )
    _forget_words(_words_of(hidden, using), using)
    # Learning the words of the public ones: unnest() of a tsvector and INSERT ... ON CONFLICT
    # have no ORM form, so this one statement is SQL around the ORM's own document text.
    public = CaseStudy.objects.using(using).published().filter(pk__in=ids)
    _learn_words(public.annotate(text=document_text()).values("text"), using)


def _learn_words(texts, using):
    """Add the words of `texts` (a queryset of one `text` column) to the lexicon."""
    sql, params = texts.query.sql_with_params()
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {SearchWord._meta.db_table} (word)
            SELECT DISTINCT u.lexeme
            FROM ({sql}) AS document, unnest(to_tsvector('simple', document.text)) AS u
            WHERE char_length(u.lexeme) BETWEEN {MIN_WORD_LENGTH} AND 60
              AND u.lexeme !~ '[0-9_]'
            ON CONFLICT (word) DO NOTHING
            """,
            params,
        )


def _words_of(case_study_ids, using):
    """The lexicon words these case studies hold now (before they are deleted)."""
    ids = [int(pk) for pk in case_study_ids if pk is not None]
    if not ids:
        return []
    texts = CaseStudy.objects.using(using).filter(pk__in=ids).annotate(text=document_text())
    sql, params = texts.values("text").query.sql_with_params()
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT u.lexeme
            FROM ({sql}) AS document, unnest(to_tsvector('simple', document.text)) AS u
            """,
            params,
        )
        return [word for (word,) in cursor.fetchall()]


def _forget_words(words, using):
    """Drop from the lexicon those of `words` that no public case study has any more."""
    connection = connections[using]
    if not words:
        return
    table = CaseStudy._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {SearchWord._meta.db_table} AS w
            WHERE w.word = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM {table} AS cs
                WHERE cs.status = %s AND cs.published_at <= now()
                  AND cs.search_vector @@ plainto_tsquery('{CONFIG}', w.word)
              )
            """,
            [list(words), CaseStudy.Status.PUBLISHED],
        )


def query_words(text):
    """The words of a query, lower-cased, at most MAX_WORDS of them."""
    return [word.lower() for word in WORD.findall(text)][:MAX_WORDS]


def corrections(words, using="default", known=frozenset()):
    """For each word that is in no case study, the most similar known words (one query; none
    when every word is in `known`, the lexicon as the caller holds it)."""
    candidates = [w for w in words if len(w) >= MIN_WORD_LENGTH and len(w) <= 60 and w not in known]
    if not candidates:
        return {}
    table = SearchWord._meta.db_table
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT q.w,
                   EXISTS (SELECT 1 FROM {table} WHERE word = q.w),
                   ARRAY(SELECT word FROM {table} WHERE word %% q.w
                         ORDER BY similarity(word, q.w) DESC, word LIMIT {SIMILAR_WORDS})
            FROM unnest(%s::text[]) AS q(w)
            """,
            [candidates],
        )
        return {word: similar for word, known, similar in cursor.fetchall() if not known}


def build_query(text, using="default", known=frozenset()):
    """A tsquery needing every term of `text`; a misspelt word may match its nearest words.

    Each whitespace-separated term goes to PostgreSQL's own parser as typed ("COVID-19"), unless
    one of its words is in no case study: then that word is replaced by the known words most
    similar to it. Words in `known` (the lexicon, as the caller holds it) are not looked up.
    """
    terms = text.split()[:MAX_WORDS]
    similar = corrections(query_words(text), using=using, known=known)
    query = None
    for term in terms:
        words = query_words(term)
        if not words:
            continue
        if not any(similar.get(word) for word in words):
            part = SearchQuery(term, config=CONFIG, search_type="plain")
        else:
            part = None
            for word in words:
                either = None
                for alternative in similar.get(word) or [word]:
                    one = SearchQuery(alternative, config=CONFIG, search_type="plain")
                    either = one if either is None else either | one
                part = either if part is None else part & either
        query = part if query is None else query & part
    if query is not None:  # for "Did you mean" (discovery/advice.py), at no extra query
        query.spelling = {word: found for word, found in similar.items() if found}
    return query


def matching_ids(query, using="default"):
    """The ids of every case study (whatever its status) matching the tsquery `query`, as a
    NumPy array."""
    return matches(query, using)[0]


def matches(query, using="default"):
    """(ids, terms): the ids of every case study (whatever its status) matching the tsquery
    `query`, and its lexemes (`query_terms`), in one round trip to the database.

    The ids are read through the GIN index: PostgreSQL's planner does not count the cost of
    unpacking each row's stored vector, so for a word in most case studies it would rather read
    the whole table and test every vector (0.4 s at 100,000 case studies) than take the index
    and only the ids (about a quarter of that). Sequential scans are off for this one
    statement: SET, the SELECT and RESET go together in one execute (three statements, one
    round trip; a new search's words and matches were four round trips), and the ids come back
    as one string of 8-byte integers, read as a NumPy array (`FacetIndex.bits_of` takes it
    whole): as an array of text, psycopg took some 8 ms to read 90,000 of them.
    """
    if query is None:
        return [], frozenset()
    connection = connections[using]
    matching = CaseStudy.objects.using(using).filter(search_vector=query).order_by()
    ids_sql, ids_params = matching.values_list("pk").query.sql_with_params()
    compiler = Query(None).get_compiler(connection=connection)
    tree_sql, tree_params = query.resolve_expression(compiler.query).as_sql(compiler, connection)
    statements = (
        "SET enable_seqscan = off; "
        f"SELECT querytree({tree_sql}), "
        f"(SELECT string_agg(int8send(m.pk::bigint), '') FROM ({ids_sql}) AS m); "
        "RESET enable_seqscan"
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(statements, [*tree_params, *ids_params])
            while cursor.description is None or len(cursor.description) != 2:
                cursor.nextset()  # past the SET's empty result
            tree, ids = cursor.fetchone()
    except Exception:
        with connection.cursor() as cursor:  # the RESET did not run
            cursor.execute("RESET enable_seqscan")
        raise
    return numpy.frombuffer(ids or b"", dtype=">i8").astype(numpy.int64), _lexemes(tree)


def ranks(query, using="default", ids=None):
    """{id: (rank, published_at)} for the published case studies (scheduled ones included)
    matching the tsquery `query`, or only those of them among `ids`: what ordering results by
    relevance needs. Reads each one's search vector: called for a thousand at most."""
    if query is None:
        return {}
    matching = CaseStudy.objects.using(using).filter(
        search_vector=query,
        status=CaseStudy.Status.PUBLISHED,
        published_at__isnull=False,
    )
    if ids is not None:
        matching = matching.filter(pk__in=ids)
    rows = ranked_by(matching, query).order_by().values_list("pk", "rank", "published_at")
    return {pk: (rank, published_at) for pk, rank, published_at in rows}


def search(queryset, text):
    """`queryset` narrowed to the case studies matching `text` (on PostgreSQL with each
    result's `rank`)."""
    found = engine(queryset.db)
    return found.filter(queryset, found.query(text, queryset.db), ranked=True)


class FullTextSearch:
    """PostgreSQL: the stored search documents, typo tolerance and ranks."""

    ranks = True  # it can order matches by relevance
    ranks_in_query = True  # in the query that reads a page of results (`ranked`)

    @staticmethod
    def query(text, using, known=frozenset()):
        return build_query(text, using=using, known=known)

    @staticmethod
    def filter(queryset, query, ranked=False):
        return apply_query(queryset, query, ranked=ranked)

    @staticmethod
    def matching_ids(query, using):
        return matching_ids(query, using=using)

    @staticmethod
    def terms(text, query, using):
        return query_terms(query, using)

    @staticmethod
    def matches(text, query, using):
        """(matching ids, terms to highlight), in one round trip."""
        return matches(query, using=using)

    @staticmethod
    def ranks_of(query, using, ids=None):
        return ranks(query, using, ids)

    @staticmethod
    def ranked(queryset, query):
        return ranked_by(queryset, query) if query is not None else None

    @staticmethod
    def update_documents(ids, using):
        _update_documents(ids, using)

    @staticmethod
    def forget(ids, using):
        """Before these case studies are deleted: what to forget of them afterwards."""
        return _words_of(ids, using)

    @staticmethod
    def forget_words(words, using):
        _forget_words(words, using)

    @staticmethod
    def spelling(text, query, using):
        """{misspelt word: its most similar known words}, as `build_query` found them."""
        return getattr(query, "spelling", {})


class SQLiteFullTextSearch:
    """SQLite: FTS5 documents, bm25 ranks and typo tolerance (fulltext_sqlite.py)."""

    ranks = True

    @staticmethod
    def query(text, using, known=frozenset()):
        return fulltext_sqlite.build_query(text, using, known)

    @staticmethod
    def filter(queryset, query, ranked=False):
        return fulltext_sqlite.apply_query(queryset, query, ranked=ranked)

    @staticmethod
    def matching_ids(query, using):
        return fulltext_sqlite.matching_ids(query, using)

    @staticmethod
    def terms(text, query, using):
        return query.terms

    @staticmethod
    def ranks_of(query, using, ids=None):
        return fulltext_sqlite.ranks(query, using)  # every match's: SQLite read them anyway

    @staticmethod
    def ranked(queryset, query):
        return None if query.expression is None else fulltext_sqlite.ranked_by(queryset, query)

    @staticmethod
    def update_documents(ids, using):
        fulltext_sqlite.update_documents(ids, using)

    @staticmethod
    def forget(ids, using):
        return fulltext_sqlite.words_of(ids, using)

    @staticmethod
    def forget_words(words, using):
        fulltext_sqlite.forget_words(words, using)

    @staticmethod
    def spelling(text, query, using):
        return query.spelling


class WordSearch:
    """Any other database: case studies containing every word, newest first, no ranks."""

    ranks = False

    @staticmethod
    def query(text, using):
        return text

    @staticmethod
    def filter(queryset, query, ranked=False):
        return queryset.contains_every_word(query)

    @staticmethod
    def matching_ids(query, using):
        return (
            CaseStudy.objects.using(using).contains_every_word(query).values_list("pk", flat=True)
        )

    @staticmethod
    def terms(text, query, using):
        return highlighting.stems(text)

    @staticmethod
    def matches(text, query, using):
        return WordSearch.matching_ids(query, using), highlighting.stems(text)

    @staticmethod
    def ranks_of(query, using):
        return {}

    @staticmethod
    def ranked(queryset, query):
        return None

    @staticmethod
    def update_documents(ids, using):
        pass  # no stored documents

    @staticmethod
    def forget(ids, using):
        return []

    @staticmethod
    def forget_words(words, using):
        pass

    @staticmethod
    def spelling(text, query, using):
        return {}


ENGINES = {"postgresql": FullTextSearch, "sqlite": SQLiteFullTextSearch}


def engine(using="default"):
    """The search engine for the database `using`: the one place that asks which it is."""
    return ENGINES.get(connections[using].vendor, WordSearch)


def full_text_search(queryset, text):
    """`queryset` narrowed to the case studies matching `text`, with their rank."""
    return apply_query(queryset, build_query(text, using=queryset.db))


def apply_query(queryset, query, ranked=True):
    """`queryset` narrowed to the case studies matching the tsquery `query`, with its `rank`
    unless not `ranked` (ranking reads each match's search vector: see `ranked`).

    Highlights are made in Python from `query_terms` (casestudies/discovery/highlighting.py).
    """
    if query is None:  # nothing searchable in the text: punctuation, symbols
        return queryset.none()
    matching = queryset.filter(search_vector=query)
    return ranked_by(matching, query) if ranked else matching


def ranked_by(queryset, query):
    """`queryset` with each case study's `rank` for the tsquery `query`."""
    return queryset.annotate(rank=SearchRank(models.F("search_vector"), query))


def query_terms(query, using="default"):
    """The lexemes (stems) of the tsquery `query`: the words a result's highlights mark."""
    if query is None:
        return frozenset()
    connection = connections[using]
    compiler = Query(None).get_compiler(connection=connection)
    sql, params = query.resolve_expression(compiler.query).as_sql(compiler, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT querytree({sql})", params)
        (tree,) = cursor.fetchone()
    return _lexemes(tree)


def _lexemes(tree):
    """The lexemes of querytree()'s output: 'hous' & 'council' -> {"hous", "council"}."""
    return frozenset(term.replace("''", "'") for term in LEXEME.findall(tree or "") if term)
