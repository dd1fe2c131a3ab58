"""The in-memory facet index: counts that agree with the list, and that never go stale."""

import datetime as dt
import itertools
import os
import random
import threading
from urllib.parse import urlencode

import numpy
import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casestudies.discovery import facets as facetindex
from casestudies.discovery.filters import CaseStudyFilter
from casestudies.models import CaseStudy, CaseStudyOrganisation
from tests.factories import CaseStudyFactory, OrganisationFactory


@pytest.fixture
def library(principles):
    by_slug = {p.slug: p for p in principles}
    kirklees = OrganisationFactory(name="Kirklees Council", slug="kirklees")
    oldham = OrganisationFactory(name="Oldham Council", slug="oldham")
    partner = OrganisationFactory(name="A Partner", slug="partner", kind="partner")
    rows = [
        ("learning innovation", [kirklees], [kirklees], ["Food"], 2021, "case_study"),
        ("learning", [oldham], [partner], ["Housing"], 2022, "policy_lab"),
        ("innovation co-production", [oldham], [], ["Housing", "Food"], 2022, "case_study"),
        ("maximising-social-value learning", [kirklees], [partner], ["Energy"], 2019, "prototype"),
        ("walking-the-talk", [oldham], [], [], 2020, "case_study"),
        ("learning co-production social-partnership", [kirklees], [], ["Food"], 2022, "prototype"),
    ]
    for n, (slugs, councils, partners, themes, year, kind) in enumerate(rows):
        CaseStudyFactory(
            title=f"Energy and housing work {n}" if n % 2 else f"Food growing work {n}",
            principles=[by_slug[s] for s in slugs.split()],
            councils=councils,
            delivered_by=partners,
            themes=themes,
            year=year,
            kind=kind,
        )
    CaseStudyFactory(title="Undated food work", principles=[by_slug["learning"]], year=None)
    CaseStudyFactory(title="Secret draft food", principles=principles, themes=["Food"], draft=True)
    CaseStudyFactory(
        title="Scheduled food", principles=principles, councils=[oldham], scheduled=True
    )
    return by_slug


# Each filter's states: every combination of them is checked (72 in all).
STATES = [
    [{}, {"principle": ["learning", "innovation"]}, {"principle": ["learning"], "match": "any"}],
    [{}, {"organisation": "oldham"}],
    [{}, {"theme": "food"}],
    [{}, {"kind": "case_study"}, {"year": "2022"}],
    [{}, {"q": "food"}],
]


def results(data):
    """How many case studies the list shows for these filters (the database's answer)."""
    filterset = CaseStudyFilter(data, queryset=CaseStudy.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def choosing(data, facet, value):
    chosen = dict(data)
    if facet == "principle":
        chosen["principle"] = [*data.get("principle", []), value]
    else:
        chosen[facet] = value
    return chosen


@pytest.mark.slow
@pytest.mark.django_db
def test_every_count_is_what_choosing_the_option_would_give(library):
    for parts in itertools.product(*STATES):
        data = {k: v for part in parts for k, v in part.items()}
        filterset = CaseStudyFilter(data, queryset=CaseStudy.objects.published())
        assert filterset.is_valid(), filterset.errors
        assert filterset.total == results(data)
        for facet, options in filterset.facets().items():
            for option in options:
                if not option.selected:
                    expected = results(choosing(data, facet, option.value))
                    assert option.count == expected, (urlencode(data, doseq=True), option)


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_the_index_puts_every_filtered_list_in_the_databases_order(library, sort):
    """A list's order from the facet index (ordered_ids) is the filtered query's, for every
    combination of the filters, ties in the publication date included."""
    some = CaseStudy.objects.published()[:3]
    CaseStudy.objects.filter(pk__in=[c.pk for c in some]).update(published_at=timezone.now())
    for parts in itertools.product(*STATES):
        data = {k: v for part in parts for k, v in part.items()} | {"sort": sort}
        filterset = CaseStudyFilter(data, queryset=CaseStudy.objects.published())
        assert filterset.is_valid(), filterset.errors
        assert list(filterset.ordered_ids()) == list(filterset.qs.values_list("pk", flat=True)), (
            data
        )


@pytest.mark.django_db
def test_a_list_by_title_is_ordered_by_the_database(client, library):
    response = client.get("/case-studies/?theme=food&sort=title")
    shown = response.context["case_studies"]
    assert hasattr(shown, "query")  # the filtered query's page, not rows read by id
    titles = [c.title for c in shown]
    assert len(titles) == 3 and titles == sorted(titles)


@pytest.mark.parametrize("seed", range(6))
def test_a_run_of_set_bits_is_found_by_its_ranks(seed):
    rng = random.Random(seed)
    size = rng.choice([10, 500, 5000])
    bits = facetindex.to_bits(n for n in range(size) if rng.random() < rng.choice([0.01, 0.5]))
    places = facetindex.from_bits(bits)
    for _ in range(50):
        start = rng.randint(0, len(places) + 2)
        stop = start + rng.randint(0, 25)
        assert facetindex.set_bits_ranked(bits, start, stop) == places[start:stop]


@pytest.mark.django_db
def test_every_page_of_a_list_is_the_databases_page(client, library, monkeypatch):
    from casestudies.views import CaseStudyListView

    monkeypatch.setattr(CaseStudyListView, "paginate_by", 2)
    for sort in ("newest", "oldest"):
        expected = list(CaseStudyFilter({"sort": sort}, queryset=CaseStudy.objects.published()).qs)
        shown = []
        for page in (1, 2, 3, 4):
            response = client.get(f"/case-studies/?sort={sort}&page={page}")
            shown += list(response.context["case_studies"])
        assert [c.pk for c in shown] == [c.pk for c in expected], sort


@pytest.mark.django_db
def test_hidden_case_studies_are_not_in_the_index(library):
    index = facetindex.FacetIndex.build()
    published = set(CaseStudy.objects.published().values_list("pk", flat=True))
    assert set(index.pks_of(index.published)) == published
    assert list(index.newest) == list(CaseStudy.objects.published().values_list("pk", flat=True))
    for groups in (index.principle, index.organisation, index.theme, index.kind, index.year):
        for bits in groups.values():
            assert bits & ~index.published == 0


@pytest.mark.django_db
def test_the_index_is_kept_between_requests(client, library, kept_facet_index):
    client.get("/case-studies/")
    kept = facetindex.current()
    client.get("/case-studies/?theme=food")
    assert facetindex.current() is kept


@pytest.mark.django_db
def test_a_change_shows_in_the_counts_at_once(client, library, kept_facet_index):
    def food_count():
        response = client.get("/case-studies/")
        return {o.value: o.count for o in response.context["facets"]["theme"]}["food"]

    assert food_count() == 3
    draft = CaseStudy.objects.get(title="Secret draft food")
    draft.status = CaseStudy.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert food_count() == 4
    draft.themes.clear()
    assert food_count() == 3


@pytest.mark.django_db
def test_a_scheduled_case_study_is_counted_once_its_time_comes(library, kept_facet_index, settings):
    settings.FACET_INDEX_SECONDS = 30 * 24 * 3600  # only the schedule makes it stale here
    scheduled = CaseStudy.objects.get(title="Scheduled food")
    index = facetindex.current()
    assert index.place(scheduled.pk) == -1
    assert index.valid_until == scheduled.published_at
    assert index.is_fresh(index.version, scheduled.published_at - dt.timedelta(seconds=1))
    assert not index.is_fresh(index.version, scheduled.published_at)
    later = facetindex.FacetIndex.build(now=scheduled.published_at, version=index.version)
    assert later.place(scheduled.pk) == 0  # the newest now


@pytest.mark.django_db
def test_the_index_is_rebuilt_after_its_longest_age(library, settings):
    settings.FACET_INDEX_SECONDS = 60
    index = facetindex.FacetIndex.build(version="v1")
    assert index.is_fresh("v1", index.built_at + dt.timedelta(seconds=59))
    assert not index.is_fresh("v1", index.built_at + dt.timedelta(seconds=60))
    assert not index.is_fresh("v2", index.built_at)


@pytest.mark.django_db
def test_without_the_cache_every_request_gets_a_fresh_index(library, kept_facet_index, monkeypatch):
    monkeypatch.setattr(facetindex, "content_version", lambda: None)  # the cache is down
    first = facetindex.current()
    assert facetindex.current() is not first


@pytest.mark.django_db
def test_a_search_asks_the_database_for_its_matches_once(client, library, kept_facet_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def matching(queries):  # PostgreSQL's search document (@@), SQLite's FTS5, others' LIKE
        return [q for q in queries if any(m in q["sql"] for m in ("@@", " MATCH ", "LIKE"))]

    with CaptureQueriesContext(connection) as first:
        client.get("/case-studies/?q=food")
    assert matching(first.captured_queries)
    with CaptureQueriesContext(connection) as again:
        second = client.get("/case-studies/?q=food&theme=housing")  # the same words, narrowed
    assert second.context["paginator"].count == 1
    matches = matching(again.captured_queries)
    # None: the counts reuse the first search, and the page reads its rows by id (the index
    # knows which of them pass the filters; on PostgreSQL the page's query ranks them, by id,
    # without matching again).
    assert matches == []
    # A change to the content forgets every search.
    CaseStudyFactory(title="Food bank", themes=["Housing"])
    assert client.get("/case-studies/?q=food&theme=housing").context["paginator"].count == 2


@pytest.fixture
def shared_index(settings, kept_facet_index):
    """The index shared between processes through the default cache, as in production."""
    from django.core.cache import cache

    settings.FACET_INDEX_SHARED = True
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_worker_takes_the_index_another_built(library, shared_index, django_assert_num_queries):
    built = facetindex.current()
    facetindex.forget()  # another worker: nothing built in its memory
    with django_assert_num_queries(1):  # the content version; no build (five queries)
        taken = facetindex.current()
    assert taken is not built
    assert taken.published == built.published and taken.theme == built.theme


@pytest.mark.django_db
def test_a_shared_index_never_outlives_its_content(client, library, shared_index):
    """Publishing and unpublishing show in the next request's counts in every worker, the
    one that made the change and the others (which forget what they built)."""

    def food_count(other_worker=False):
        if other_worker:
            facetindex.forget()
        response = client.get("/case-studies/")
        return {o.value: o.count for o in response.context["facets"]["theme"]}["food"]

    assert food_count() == food_count(other_worker=True) == 3
    draft = CaseStudy.objects.get(title="Secret draft food")
    draft.status = CaseStudy.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert food_count(other_worker=True) == 4
    assert food_count() == 4
    draft.status = CaseStudy.Status.DRAFT
    draft.save()
    assert food_count() == 3
    assert food_count(other_worker=True) == 3
    assert "Secret draft food" not in client.get("/case-studies/?theme=food").content.decode()


@pytest.mark.django_db
def test_while_another_process_builds_the_new_index_readers_keep_nothing(
    client, library, shared_index, settings
):
    """Between a change and its index being shared, a worker goes on with the index it has
    instead of building its own (for at most FACET_INDEX_STAND_IN_SECONDS); it shows no
    case study that is no longer published, and keeps no page or fragment made meanwhile."""
    from django.core.cache import cache

    from casestudies.caching.version import content_version

    settings.PAGE_CACHE_SECONDS = 300

    def titles(response):
        return [c.title for c in response.context["case_studies"]]

    client.get("/case-studies/?theme=food")  # this worker's index
    gone = CaseStudy.objects.get(title="Food growing work 0")
    gone.status = CaseStudy.Status.DRAFT
    gone.save()  # a new version: in production its committing process builds its index
    cache.set(facetindex._building_key("default", content_version()), 1)
    response = client.get("/case-studies/?theme=food")
    assert "Food growing work 0" not in titles(response)
    assert response.context["paginator"].count == 3  # the earlier index's count, for now
    assert "X-Page-Cache" not in response  # not kept
    assert "X-Page-Cache" not in client.get("/case-studies/?theme=food")
    facetindex._share("default", facetindex.FacetIndex.build(version=content_version()))
    response = client.get("/case-studies/?theme=food")
    assert response.context["paginator"].count == 2 == len(titles(response))
    assert response["X-Page-Cache"] == "miss"  # kept again


@pytest.mark.django_db
def test_a_theme_or_principle_new_in_the_change_is_not_refused_while_the_old_index_stands_in(
    client, library, principles, shared_index
):
    """The index standing in does not know a theme made public, or a principle made, by the
    change: the database is asked, so the list answers (its counts lag, as the stand-in's do)
    rather than calling a good address a bad request; an unknown one is still refused."""
    from django.core.cache import cache

    from casestudies.caching.version import content_version
    from principles.models import Principle

    client.get("/case-studies/")  # this worker's index
    CaseStudyFactory(title="Water work", principles=principles[:1], themes=["Water"])
    Principle.objects.create(slug="openness", title="Openness", position=99)
    cache.set(facetindex._building_key("default", content_version()), 1)
    for address in ("/case-studies/?theme=water", "/case-studies/?principle=openness"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "X-Page-Cache" not in response  # the stand-in's: not kept
    assert client.get("/case-studies/?theme=no-such-theme").status_code == 400
    assert client.get("/case-studies/?principle=no-such-principle").status_code == 400


@pytest.mark.django_db
def test_an_index_past_a_scheduled_publication_does_not_stand_in(library, shared_index):
    from django.core.cache import cache

    from casestudies.caching.version import bump_content_version

    old = facetindex.current()
    scheduled = CaseStudy.objects.get(title="Scheduled food")
    version = bump_content_version()
    cache.set(facetindex._building_key("default", version), 1)
    assert facetindex._stands_in(old, "default", version, timezone.now())
    later = scheduled.published_at
    assert not facetindex._stands_in(old, "default", version, later)


@pytest.mark.django_db
def test_a_committed_change_builds_the_next_index_off_the_request_path(
    library, shared_index, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The process that commits a change builds the new version's index in a thread and
    shares it: readers then take it without building."""
    settings.FACET_INDEX_PREBUILD = True
    started = []

    class Thread:  # runs nothing: the test builds in its own thread, which sees its data
        def __init__(self, target, **kwargs):
            started.append(target)

        def start(self):
            pass

    monkeypatch.setattr(facetindex.threading, "Thread", Thread)
    facetindex.current()
    with django_capture_on_commit_callbacks(execute=True):
        draft = CaseStudy.objects.get(title="Secret draft food")
        draft.status = CaseStudy.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
    assert started  # a build off the request path was started
    from casestudies.caching.version import content_version

    facetindex.build_ahead("default", facetindex._latest["default"])
    facetindex.forget()
    index = facetindex.current()
    assert index.version == content_version()
    assert index.place(draft.pk) >= 0


@pytest.mark.parametrize("ids", [[], [0], [1, 7, 8, 9], [3, 64, 65, 1000, 99_999]])
def test_bitsets_give_back_their_ids(ids):
    assert facetindex.from_bits(facetindex.to_bits(ids)) == ids


def related_by_hand(case_study, window, limit=3):
    """What "related" means, worked out the long way: of the `window` newest other published
    case studies sharing a principle with `case_study`, the `limit` sharing the most, the
    newest first among equals."""
    mine = set(case_study.principles.values_list("pk", flat=True))
    sharing = [
        (len(mine & set(other.principles.values_list("pk", flat=True))), other)
        for other in CaseStudy.objects.published().exclude(pk=case_study.pk)
    ]
    newest = sorted(
        [(n, other) for n, other in sharing if n],
        key=lambda pair: (pair[1].published_at, pair[1].pk),
        reverse=True,
    )[:window]
    ranked = sorted(newest, key=lambda pair: (-pair[0], -pair[1].published_at.timestamp()))
    return [(other.pk, n) for n, other in ranked[:limit]]


@pytest.mark.django_db
@pytest.mark.parametrize("window", [2, 5, 500])
def test_related_case_studies_are_those_sharing_most_principles_among_the_newest(
    principles, window
):
    rng = random.Random(window)
    now = timezone.now()
    made = []
    for _ in range(40):
        case_study = CaseStudyFactory(
            principles=rng.sample(principles, rng.randint(1, 4)),
            draft=rng.random() < 0.15,
        )
        # Some published at the same moment: the newer pk comes first among them.
        CaseStudy.objects.filter(pk=case_study.pk).update(
            published_at=now - dt.timedelta(days=rng.randint(1, 15))
        )
        made.append(case_study)
    index = facetindex.FacetIndex.build()
    for case_study in made:
        mine = case_study.principles.values_list("pk", flat=True)
        assert index.related(case_study.pk, mine, window=window) == related_by_hand(
            case_study, window
        ), case_study


@pytest.mark.django_db
def test_no_draft_or_scheduled_case_study_is_related(library):
    index = facetindex.FacetIndex.build()
    hidden = set(
        CaseStudy.objects.exclude(pk__in=CaseStudy.objects.published()).values_list("pk", flat=True)
    )
    assert hidden
    shown = set()
    for case_study in CaseStudy.objects.all():
        mine = case_study.principles.values_list("pk", flat=True)
        related = {pk for pk, _ in index.related(case_study.pk, mine, limit=50)}
        assert case_study.pk not in related
        shown |= related
    # Each is related to the draft meeting every principle (in its preview).
    assert shown == set(CaseStudy.objects.published().values_list("pk", flat=True))
    assert not shown & hidden


@pytest.mark.django_db
def test_cards_relations_from_the_index_are_those_the_database_gives(
    library, kept_facet_index, django_assert_num_queries
):
    """A card's principles and organisations in their roles, filled from the index (the roles
    of a case study the index does not hold, a draft's in its preview, from one query of plain
    values: cards.prefetch), are what prefetch_related gives, in its order; and the relations
    still answer like querysets, filtered to their own case study."""
    import copy
    import pickle

    from casestudies.discovery import cards

    listed = list(CaseStudy.objects.for_listing().order_by("-status", "pk"))
    expected = list(
        CaseStudy.objects.order_by("-status", "pk").prefetch_related(
            *CaseStudy.objects.card_prefetches()
        )
    )
    assert {c.status for c in listed} == {"published", "draft"}
    index = facetindex.current()
    cards.prefetch(listed)  # the organisations and their order by name: kept with the index
    published = list(CaseStudy.objects.published().for_listing())
    with CaptureQueriesContext(connection) as queries:
        cards.prefetch(published)
    # At most the content version is read: nothing of the links, principles or organisations.
    assert [q["sql"] for q in queries if "content" not in q["sql"]] == []
    assert index.keep(("organisation objects",), dict)
    with django_assert_num_queries(0):
        for mine, theirs in zip(listed, expected, strict=True):
            assert list(mine.principles.all()) == list(theirs.principles.all())
            assert [(r.role, r.organisation.name) for r in mine.roles.all()] == [
                (r.role, r.organisation.name) for r in theirs.roles.all()
            ]
            assert (mine.councils, mine.delivered_by) == (theirs.councils, theirs.delivered_by)
            assert mine.principles.count() == len(theirs.principles.all())
            assert mine.principles.exists() == bool(theirs.principles.all())

    first = listed[0]
    learning = library["learning"]
    assert list(first.principles.filter(slug="learning")) == [learning]  # its own, from SQL
    assert list(first.principles.exclude(slug="learning")) == [library["innovation"]]
    assert list(first.principles.all()) == list(expected[0].principles.all())  # unchanged
    other = listed[4]  # walking-the-talk only
    assert not other.principles.filter(slug="learning").exists()
    assert copy.deepcopy(other).principles.count() == 1
    assert pickle.loads(pickle.dumps(other)).pk == other.pk


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no scheduling priorities here")
def test_the_thread_building_ahead_yields_to_readers_and_only_it(settings):
    """The prebuild thread lowers its own priority (FACET_INDEX_PREBUILD_NICE), not its
    worker's: readers in the same process keep theirs."""
    settings.FACET_INDEX_PREBUILD_NICE = 5
    seen = {}

    def prebuild_thread():
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        facetindex.yield_to_readers()
        seen["change"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) - before

    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=prebuild_thread)
    thread.start()
    thread.join()
    assert seen["change"] == min(5, 19 - main)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main


# Bringing an index up to date from the changes committed since (instead of building it again).


@pytest.fixture
def recorded_changes(shared_index, settings):
    """Each commit records what it changed, as in production; no index is built ahead in a
    thread (it would not see the test's data)."""
    settings.FACET_INDEX_PREBUILD = False


INDEXED = [
    "published",
    "principle",
    "organisation",
    "theme",
    "kind",
    "year",
    "newest",
    "organisations_at",
]


def indexed(index):
    """What an index says about the published case studies (not when or for what it was made)."""
    return {name: getattr(index, name) for name in [*INDEXED, "valid_until"]}


def random_change(rng, principles, organisations, now):
    """One change made as the admin and the import make them: a save, a link added or removed,
    a delete. Returns a description for the assertion message."""
    case_study = rng.choice(list(CaseStudy.objects.all()))
    others = list(CaseStudy.objects.published().exclude(pk=case_study.pk))
    what = rng.choice(
        [
            "publish now",
            "publish as of an earlier date",
            "publish at the same moment as another",
            "unpublish",
            "schedule",
            "principles",
            "an organisation added",
            "an organisation removed",
            "themes",
            "year and kind",
            "delete",
            "reword a principle",
        ]
    )
    if what.startswith("publish"):
        case_study.status = CaseStudy.Status.PUBLISHED
        case_study.published_at = {
            "publish now": now,
            "publish as of an earlier date": now - dt.timedelta(days=rng.randint(1, 30)),
            "publish at the same moment as another": (
                rng.choice(others).published_at if others else now
            ),
        }[what]
        case_study.save()
    elif what == "unpublish":
        case_study.status = CaseStudy.Status.DRAFT
        case_study.save()
    elif what == "schedule":
        case_study.status = CaseStudy.Status.PUBLISHED
        case_study.published_at = now + dt.timedelta(days=rng.randint(1, 9))
        case_study.save()
    elif what == "principles":
        case_study.principles.set(rng.sample(principles, rng.randint(0, min(4, len(principles)))))
    elif what == "an organisation added":
        organisation = rng.choice(organisations)
        if not case_study.organisations.filter(pk=organisation.pk).exists():
            case_study.organisations.add(organisation, through_defaults={"role": "delivery"})
    elif what == "an organisation removed":
        role = case_study.roles.first()
        if role:
            role.delete()
    elif what == "themes":
        case_study.themes.set(rng.sample(["Food", "Housing", "Energy", "Care"], rng.randint(0, 2)))
    elif what == "year and kind":
        case_study.year = rng.choice([None, 2019, 2023])
        case_study.kind = rng.choice(["case_study", "policy_lab", "prototype"])
        case_study.save()
    elif what == "delete":
        case_study.delete()
    elif rng.random() < 0.8:
        principle = rng.choice(principles)
        principle.statement += " (reworded)"
        principle.save()
    else:
        principles.pop(rng.randrange(len(principles))).delete()
        what = "delete a principle"
    return what


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(12))
def test_an_index_brought_up_to_date_is_the_one_a_build_gives(
    principles, recorded_changes, django_capture_on_commit_callbacks, monkeypatch, seed
):
    """Random changes, committed as the site commits them: the index of the version before
    them, brought up to date from what each commit recorded, says what a build says."""
    from casestudies.caching.version import content_version

    rng = random.Random(seed)
    principles = list(principles)  # some may be deleted
    # Where a publication goes is found among every _PROBED-th place, then in a run: short
    # runs here, so that both steps have some to look at.
    monkeypatch.setattr(facetindex, "_PROBED", [256, 3, 4][seed % 3])
    now = timezone.now()
    organisations = [OrganisationFactory() for _ in range(4)]
    for n in range(25):
        case_study = CaseStudyFactory(
            principles=rng.sample(principles, rng.randint(0, 3)),
            councils=rng.sample(organisations, rng.randint(0, 2)),
            themes=rng.sample(["Food", "Housing", "Energy"], rng.randint(0, 2)),
            year=rng.choice([None, 2020, 2021]),
            kind=rng.choice(["case_study", "policy_lab"]),
            draft=rng.random() < 0.2,
            scheduled=rng.random() < 0.1,
        )
        if n % 3 and case_study.published_at:  # some published at the same moment
            CaseStudy.objects.filter(pk=case_study.pk).update(
                published_at=now - dt.timedelta(days=n % 4)
            )
    base = facetindex.FacetIndex.build(version=content_version())
    with django_capture_on_commit_callbacks(execute=True):
        made = [random_change(rng, principles, organisations, now) for _ in range(6)]
    version = content_version()
    changed = facetindex._changed_since(base.version, version)
    if "delete a principle" in made:  # its links go without signals: it cannot say
        assert changed is None
        return
    assert changed is not None, made
    derived = base.derive(changed, version=version)
    assert indexed(derived) == indexed(facetindex.FacetIndex.build(version=version)), made
    assert derived.version == version and derived.built_at == base.built_at


@pytest.mark.django_db
def test_every_worker_brings_its_index_up_to_date_instead_of_building_it(
    client, library, recorded_changes, monkeypatch, django_capture_on_commit_callbacks
):
    """A publication and an unpublication show in the next request's counts, from the index
    the worker had, brought up to date in a few small queries: no build, in this worker or any
    other."""

    def food_count():
        response = client.get("/case-studies/")
        return {o.value: o.count for o in response.context["facets"]["theme"]}["food"]

    assert food_count() == 3

    def no_build(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(facetindex.FacetIndex, "build", no_build)
    draft = CaseStudy.objects.get(title="Secret draft food")
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = CaseStudy.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
    assert food_count() == 4
    response = client.get("/case-studies/?theme=food")
    assert response.context["case_studies"][0].title == "Secret draft food"  # the newest
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = CaseStudy.Status.DRAFT
        draft.save()
    assert food_count() == 3
    assert "Secret draft food" not in client.get("/case-studies/?theme=food").content.decode()


@pytest.mark.django_db
def test_a_staff_write_says_what_it_touched_unless_it_wrote_without_signals(
    rf, publisher, library, recorded_changes, django_capture_on_commit_callbacks
):
    """A staff page's request runs with a new content version of its own
    (StaffWritesMiddleware). It adds nothing to what its signals said, unless it wrote case
    studies or their links without them (a bulk update): then it cannot say, and an index is
    not brought up to date across it."""
    from django.http import HttpResponse

    from casestudies.caching.middleware import StaffWritesMiddleware
    from casestudies.caching.version import content_version

    draft = CaseStudy.objects.get(title="Secret draft food")

    def staff_post(view):
        request = rf.post("/admin/casestudies/casestudy/")
        request.user = publisher
        earlier = content_version()
        with django_capture_on_commit_callbacks(execute=True):
            StaffWritesMiddleware(lambda request: view() or HttpResponse())(request)
        return facetindex._changed_since(earlier, content_version())

    def publish():
        draft.status, draft.published_at = CaseStudy.Status.PUBLISHED, timezone.now()
        draft.save()

    def bulk_unpublish():
        CaseStudy.objects.filter(pk=draft.pk).update(status=CaseStudy.Status.DRAFT)

    def delete_a_principle():
        library["walking-the-talk"].delete()

    assert staff_post(publish) == {draft.pk}
    assert staff_post(bulk_unpublish) is None
    assert staff_post(delete_a_principle) is None  # its links go without signals
    staff_post(publish)
    old = facetindex.current()
    staff_post(bulk_unpublish)
    assert facetindex.current().place(draft.pk) == -1 != old.place(draft.pk)


@pytest.mark.django_db
def test_publishing_in_the_admin_brings_every_index_up_to_date(
    publisher_client, principles, recorded_changes, monkeypatch, django_capture_on_commit_callbacks
):
    """The admin's Publish button and its bulk Unpublish action: every worker's index follows
    without a build."""
    from tests.factories import casestudy_admin_data, make_ready, ready_links

    draft = make_ready(CaseStudyFactory(draft=True, themes=["Food"]))
    CaseStudyFactory(themes=["Food"])
    assert facetindex.current().place(draft.pk) == -1

    def no_build(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(facetindex.FacetIndex, "build", no_build)
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher_client.post(
            f"/admin/casestudies/casestudy/{draft.pk}/change/",
            casestudy_admin_data(draft, workflow="publish", **ready_links(draft)),
        )
    assert response.status_code == 302
    assert facetindex.current().place(draft.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        publisher_client.post(
            "/admin/casestudies/casestudy/",
            {"action": "unpublish", "_selected_action": [draft.pk]},
        )
    assert facetindex.current().place(draft.pk) == -1


@pytest.mark.django_db
def test_each_version_records_the_one_its_transaction_replaced(
    published, django_capture_on_commit_callbacks
):
    """The versions form one chain even when this process's idea of the last one is out of
    date (another process wrote since, or its own transaction was rolled back)."""
    from django.db import connection, transaction

    from casestudies.caching.version import bump_content_version, content_version

    sent = []

    def record(version, previous, **kwargs):
        sent.append((previous, version))

    from casestudies.caching.version import version_committed

    version_committed.connect(record, weak=False)
    try:
        first = content_version()
        connection.coopnet_content_version = "another process's"
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            one = bump_content_version(changed=[1])
            two = bump_content_version(changed=[2])
        # Rolled back: never sent.
        with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
            bump_content_version(changed=[3])
            transaction.set_rollback(True)
        with django_capture_on_commit_callbacks(execute=True):
            three = bump_content_version(changed=[4])
    finally:
        version_committed.disconnect(record)
    assert sent == [(first, one), (one, two), (two, three)]


@pytest.mark.django_db
def test_case_studies_added_to_a_principle_from_its_side_are_the_ones_touched(principles):
    from django.db.models.signals import m2m_changed

    from casestudies.caching.signals import touched_case_studies

    link = CaseStudy.principles.through
    learning = principles[2]
    for action, pk_set, touched in [("post_add", {4, 9}, {4, 9}), ("post_clear", None, None)]:
        kwargs = {"action": action, "model": CaseStudy, "pk_set": pk_set, "reverse": True}
        assert touched_case_studies(link, instance=learning, signal=m2m_changed, **kwargs) == (
            touched
        )


@pytest.mark.parametrize(
    "sql, reaches",
    [
        ('UPDATE "casestudies_casestudy" SET "status" = %s, "updated_at" = %s WHERE "id" = 3', 1),
        ('UPDATE "casestudies_casestudy" SET "title" = %s, "published_at" = %s WHERE "id" = 3', 1),
        (
            'UPDATE "casestudies_casestudy" SET "search_vector" = (SELECT 1 FROM '
            '"casestudies_casestudyorganisation" U0 WHERE U0."case_study_id" = '
            '("casestudies_casestudy"."id")) WHERE "casestudies_casestudy"."id" IN (3)',
            0,
        ),
        ('INSERT INTO "casestudies_casestudy_principles" ("casestudy_id") VALUES (%s)', 1),
        ('DELETE FROM "casestudies_themedcasestudy" WHERE "id" IN (4)', 1),
        ('UPDATE "casestudies_organisation" SET "name" = %s WHERE "id" = 1', 0),
        (
            "DELETE FROM casestudies_searchword AS w WHERE w.word NOT IN (SELECT word FROM "
            "casestudies_casestudy)",
            0,
        ),
        ("update casestudies_casestudy set status = 'published'", 1),
        ("WITH moved AS (SELECT 1) UPDATE casestudies_casestudyorganisation SET role = 'lead'", 1),
        ('SELECT "id" FROM "casestudies_casestudy"', 0),
    ],
)
def test_writes_that_reach_the_index_are_told_from_others(sql, reaches):
    """What a staff page's request writes outside signals: a case study's row (but for its
    search document) or a link makes its change one that cannot say what it touched."""
    from casestudies.caching.signals import IndexWrites

    assert IndexWrites().reaches_index(sql) == bool(reaches)


@pytest.mark.django_db
def test_organisations_are_counted_alike_by_walking_the_results_and_by_bitsets(library):
    """A list's organisation counts come from walking its few results or, for many, from an AND
    with each organisation's bitset (whichever is cheaper): both give the same counts, those
    the database gives."""
    index = facetindex.FacetIndex.build()
    rng = random.Random(5)
    places = list(range(len(index.newest)))
    for _ in range(20):
        chosen = rng.sample(places, rng.randint(0, len(places)))
        bits = facetindex.to_bits(chosen)
        expected = dict(
            CaseStudyOrganisation.objects.filter(case_study__in=[index.newest[n] for n in chosen])
            .values_list("organisation")
            .annotate(n=Count("case_study", distinct=True))
        )
        assert index.count_organisations(bits, walk=True) == expected
        assert index.count_organisations(bits, walk=False) == expected
        assert index.count_organisations(bits) == expected


@pytest.mark.django_db
def test_a_card_drawn_from_an_earlier_index_leaves_out_an_organisation_deleted_since(library):
    """While a process answers from the index of an earlier version (`stand_in`, a few seconds
    at most), a card whose organisation was deleted meanwhile is drawn without it, not a 500."""
    from casestudies.discovery import cards
    from casestudies.models import Organisation

    earlier = facetindex.FacetIndex.build()
    Organisation.objects.filter(slug="partner").delete()
    listed = list(CaseStudy.objects.published().for_listing().order_by("pk"))
    cards.prefetch_roles(earlier, listed, "default")
    shown = {o.slug for case_study in listed for o in case_study.delivered_by}
    assert shown == {"kirklees"}


@pytest.mark.django_db
def test_a_searchs_matches_become_the_bits_of_published_case_studies_only(library):
    """A search's matches arrive as ids of any status, as a list or a NumPy array: drafts,
    scheduled ones, ids past the newest case study and nonsense ids leave no bit."""
    CaseStudyFactory(title="A draft among published ones", draft=True)
    CaseStudyFactory(title="Published after the draft")
    index = facetindex.FacetIndex.build()
    published = list(index.newest)
    hidden = list(CaseStudy.objects.exclude(pk__in=published).values_list("pk", flat=True))
    assert min(hidden) < max(published)  # a hidden id inside the index's range of ids
    chosen = published[::2]
    expected = 0
    for pk in chosen:
        expected |= 1 << index.place(pk)
    beyond = max(published + hidden) + 1_000
    for ids in (
        chosen + hidden + [beyond, -1, 0],
        numpy.array(chosen + hidden + [beyond], dtype=numpy.int64),
    ):
        assert index.bits_of(ids) == expected
        assert sorted(index.pks_of(index.bits_of(ids))) == sorted(chosen)
    assert index.bits_of([]) == 0
    assert index.bits_of(numpy.array([], dtype=numpy.int64)) == 0
