"""Full-text search on SQLite (FTS5): the embedded default's counterpart of PostgreSQL's engine.

What PostgreSQL does with its stored search document (`search.py`), done with SQLite's own
full-text engine, so that the same searches find the same case studies first on both:

- the document: one row per case study whose status is published in `casestudies_casestudy_fts`
  (migration 0015), with the same three weighted parts as PostgreSQL's: the title (A); the
  summary and the names of the organisations, themes and contacts (B); the body's text (C);
  stemmed by FTS5's Porter tokenizer as PostgreSQL's `english` configuration stems (Snowball);
- ranking: FTS5's bm25, each part weighted as PostgreSQL's ts_rank weighs A, B and C;
- the query: every whitespace-separated term must match, as in `plainto_tsquery`; a hyphenated
  term ("COVID-19") as a phrase; English stop words ignored, as PostgreSQL ignores them;
- typo tolerance from the same lexicon (`SearchWord`: the words of public case studies only):
  a query word in no case study is replaced by its most similar known words, by pg_trgm's own
  measure (shared trigrams of the padded words over all of them, at least 0.3), the candidates
  found through an FTS5 trigram index of the lexicon (`casestudies_searchword_trigrams`);
- highlights: the stems of the words searched for, marked in Python (`highlighting.py`), as on
  PostgreSQL.

A search costs two queries whatever the collection: the spelling (known words, and the
trigram candidates of the unknown ones, in one statement) and the matches with their ranks.
"""

import re
from dataclasses import dataclass, field

from django.db import connections
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..models import CaseStudy, CaseStudyOrganisation, SearchWord, ThemedCaseStudy
from . import highlighting

FTS = "casestudies_casestudy_fts"
TRIGRAMS = "casestudies_searchword_trigrams"
CASE_STUDIES = CaseStudy._meta.db_table
WORDS = SearchWord._meta.db_table

MAX_WORDS = 20
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 60
SIMILAR_WORDS = 3
SIMILARITY_THRESHOLD = 0.3  # pg_trgm.similarity_threshold's default: what `%` means there
# bm25's weight for each column (published, not searched; title, names, body), in the
# proportions of ts_rank's default weights for A, B and C (1.0, 0.4, 0.2).
WEIGHTS = "0.0, 10.0, 4.0, 2.0"
BATCH = 500  # ids or words per statement

WORD = re.compile(r"\w+")
# A word as PostgreSQL's parser takes it for the lexicon: letters and digits, and hyphenated
# compounds whole ("co-operative") as well as in parts.
LEXICON_WORD = re.compile(r"\w+(?:-\w+)*")
NOT_A_LEXICON_WORD = re.compile(r"[0-9_]")
TRIGRAM_WORD = re.compile(r"[^\W_]+")

# PostgreSQL's `english` stop words (Snowball's list): a query ignores them there.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()  # noqa: SIM905 (a list of 127 words, one a line)
)


# Documents -----------------------------------------------------------------------------------


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _names(ids, using):
    """{case study id: [names of its organisations, themes and contacts]}: three queries."""
    names = {}
    contacts = CaseStudy.contacts.through.objects.using(using)
    for rows in (
        CaseStudyOrganisation.objects.using(using)
        .filter(case_study__in=ids)
        .values_list("case_study_id", "organisation__name"),
        ThemedCaseStudy.objects.using(using)
        .filter(content_object__in=ids)
        .values_list("content_object_id", "tag__name"),
        contacts.filter(casestudy__in=ids).values_list("casestudy_id", "contact__name"),
    ):
        for pk, name in rows.order_by():
            names.setdefault(pk, []).append(name or "")
    return names


def documents(ids, using):
    """{id: (published, title, names, body)}: the search document of those of `ids` whose
    status is published (scheduled ones too: they must be found the moment they come out),
    with the publication date as the database stores it (a string that sorts as dates do)."""
    connection = connections[using]
    case_studies = CaseStudy.objects.using(using).filter(
        pk__in=ids, status=CaseStudy.Status.PUBLISHED, published_at__isnull=False
    )
    rows = list(
        case_studies.order_by().values_list("pk", "published_at", "title", "summary", "body")
    )
    names = _names([pk for pk, *_ in rows], using) if rows else {}
    return {
        pk: (
            connection.ops.adapt_datetimefield_value(published_at),
            title or "",
            " ".join([summary or "", *names.get(pk, [])]),
            highlighting.plain_text(body),
        )
        for pk, published_at, title, summary, body in rows
    }


def lexicon_words(text):
    """The words of `text` the lexicon keeps, as PostgreSQL's `simple` parser gives them:
    lower-cased, 3 to 60 characters, without digits or underscores."""
    words = set()
    for match in LEXICON_WORD.finditer(text.lower()):
        compound = match.group()
        words.add(compound)
        if "-" in compound:
            words.update(compound.split("-"))
    return {
        word
        for word in words
        if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and not NOT_A_LEXICON_WORD.search(word)
    }


def _words_of_documents(docs):
    words = set()
    for parts in docs.values():
        for part in parts[1:]:  # not the date
            words |= lexicon_words(part)
    return words


def update_documents(ids, using):
    """Rewrite the rows of these case studies in the FTS table (removing those that are not
    published), forget the words of those no longer public, learn those of the public ones."""
    connection = connections[using]
    for chunk in _chunks(ids):
        docs = documents(chunk, using)
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)
            if docs:
                cursor.executemany(
                    f"INSERT INTO {FTS} (rowid, published, title, names, body) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(pk, *parts) for pk, parts in docs.items()],
                )
        public = set(
            CaseStudy.objects.using(using)
            .published()
            .filter(pk__in=list(docs))
            .values_list("pk", flat=True)
        )
        hidden = set(chunk) - public
        if hidden:
            forget_words(words_of(hidden, using), using)
        learn = _words_of_documents({pk: parts for pk, parts in docs.items() if pk in public})
        SearchWord.objects.using(using).bulk_create(
            [SearchWord(word=word) for word in sorted(learn)], ignore_conflicts=True
        )


def words_of(ids, using):
    """The lexicon words these case studies hold now (before they are hidden or deleted)."""
    ids = [int(pk) for pk in ids if pk is not None]
    words = set()
    for chunk in _chunks(ids):
        # Whatever their status: a case study just unpublished had its words learnt.
        rows = CaseStudy.objects.using(using).filter(pk__in=chunk)
        names = _names(chunk, using)
        for pk, title, summary, body in rows.order_by().values_list(
            "pk", "title", "summary", "body"
        ):
            text = " ".join([title or "", summary or "", *names.get(pk, [])])
            words |= lexicon_words(text) | lexicon_words(highlighting.plain_text(body))
    return sorted(words)


def forget_words(words, using):
    """Drop from the lexicon those of `words` that no public case study has any more (as
    PostgreSQL: a stemmed match in a public case study's document keeps the word)."""
    connection = connections[using]
    for chunk in _chunks(words):
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                DELETE FROM {WORDS} WHERE word IN ({marks}) AND NOT EXISTS (
                    SELECT 1 FROM {FTS} JOIN {CASE_STUDIES} AS cs ON cs.id = {FTS}.rowid
                    WHERE {FTS} MATCH '"' || replace({WORDS}.word, '"', '""') || '"'
                      AND cs.status = %s AND cs.published_at <= %s
                )
                """,
                [*chunk, CaseStudy.Status.PUBLISHED, timezone.now()],
            )


# Spelling ------------------------------------------------------------------------------------


def trigrams(text):
    """pg_trgm's trigrams of `text`: each word lower-cased, padded with two spaces before and
    one after."""
    found = set()
    for word in TRIGRAM_WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a, b):
    """pg_trgm's similarity(a, b): shared trigrams over all the trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def _trigram_query(word):
    """An FTS5 trigram query for the lexicon words sharing a trigram with `word`."""
    inner = {word[i : i + 3] for i in range(len(word) - 2)}
    return " OR ".join(f'"{gram}"' for gram in sorted(inner) if '"' not in gram)


def corrections(words, using, known=frozenset()):
    """For each of `words` (lower-cased) that is in no public case study, its most similar
    known words (at most SIMILAR_WORDS, most similar first), as PostgreSQL's `corrections`.
    One statement: the known words, and the trigram candidates of each unknown word; none
    when every word is in `known` (the lexicon, as the caller holds it)."""
    candidates = sorted(
        {
            w
            for w in words
            if MIN_WORD_LENGTH <= len(w) <= MAX_WORD_LENGTH
            and w not in STOP_WORDS
            and w not in known
        }
    )
    candidates = [w for w in candidates if _trigram_query(w)]
    if not candidates:
        return {}
    marks = ", ".join(["%s"] * len(candidates))
    sql = [f"SELECT word, NULL FROM {WORDS} WHERE word IN ({marks})"]
    params = list(candidates)
    for word in candidates:
        # Constant conditions first: SQLite tests them once, so a known word's trigrams are
        # never looked up.
        sql.append(
            f"SELECT %s, word FROM {TRIGRAMS} WHERE NOT EXISTS "
            f"(SELECT 1 FROM {WORDS} WHERE word = %s) AND {TRIGRAMS} MATCH %s"
        )
        params += [word, word, _trigram_query(word)]
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        rows = cursor.fetchall()
    known = {word for word, other in rows if other is None}
    similar = {}
    for word, other in rows:
        if other is not None and word not in known:
            similar.setdefault(word, set()).add(other)
    found = {}
    for word in candidates:
        if word in known:
            continue
        scored = [(similarity(word, other), other) for other in similar.get(word, ())]
        scored = [(score, other) for score, other in scored if score >= SIMILARITY_THRESHOLD]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        found[word] = [other for _, other in scored[:SIMILAR_WORDS]]
    return found


# Queries -------------------------------------------------------------------------------------


@dataclass
class Match:
    """A search, ready for FTS5: `expression` (None when nothing in it is searchable), the
    stems its highlights mark, the spelling corrections made, and (filled by `matching_ids`)
    the ranks of its matches."""

    expression: str | None
    terms: frozenset
    spelling: dict
    ranks: dict | None = field(default=None, compare=False)


def _quoted(word):
    return '"' + word.replace('"', '""') + '"'


def build_query(text, using, known=frozenset()):
    """Every whitespace-separated term of `text` must match (at most MAX_WORDS of them): a
    term of several words ("COVID-19") as a phrase; a word in no case study as any of its most
    similar known words; stop words alone ignored, as PostgreSQL ignores them. Words in
    `known` (the lexicon) are not looked up."""
    terms = text.split()[:MAX_WORDS]
    words = [word.lower() for term in terms for word in WORD.findall(term)]
    similar = corrections(words, using, known)
    parts, searched = [], []
    for term in terms:
        term_words = [word.lower() for word in WORD.findall(term)]
        if not term_words or all(word in STOP_WORDS for word in term_words):
            continue
        if not any(similar.get(word) for word in term_words):
            parts.append(_quoted(" ".join(term_words)))
            searched += term_words
            continue
        for word in term_words:
            if word in STOP_WORDS:
                continue
            alternatives = similar.get(word) or [word]
            parts.append("(" + " OR ".join(map(_quoted, alternatives)) + ")")
            searched += alternatives
    meaningful = [word for word in searched if word not in STOP_WORDS]
    return Match(
        expression=" AND ".join(parts) or None,
        terms=highlighting.stems(" ".join(meaningful)),
        spelling={word: alternatives for word, alternatives in similar.items() if alternatives},
    )


def matching_ids(query, using):
    """The ids of the case studies (status published) matching, with their ranks remembered
    on `query` for `ranks` ({id: (rank, publication date)}, the date as stored: it only breaks
    ties): one statement for both."""
    if query.expression is None:
        query.ranks = {}
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS}, {WEIGHTS}), published FROM {FTS} WHERE {FTS} MATCH %s",
            [query.expression],
        )
        query.ranks = {pk: (rank, published) for pk, rank, published in cursor.fetchall()}
    return list(query.ranks)


def ranks(query, using):
    """{id: (rank, published_at)} of every match: what ordering by relevance needs."""
    if query.ranks is None:
        matching_ids(query, using)
    return query.ranks


def apply_query(queryset, query, ranked=False):
    """`queryset` narrowed to the matches of `query` (with their `rank` if `ranked`)."""
    if query.expression is None:
        return queryset.none()
    matching = queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [query.expression])
    )
    return ranked_by(matching, query) if ranked else matching


def ranked_by(queryset, query):
    """`queryset` with each case study's `rank` (bm25, higher is closer) for `query`."""
    rank = RawSQL(
        f"SELECT -bm25({FTS}, {WEIGHTS}) FROM {FTS} "
        f"WHERE {FTS} MATCH %s AND {FTS}.rowid = {CASE_STUDIES}.id",
        [query.expression],
    )
    return queryset.annotate(rank=rank)
