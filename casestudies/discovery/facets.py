"""Which published case studies have each facet value, as bitsets kept in memory.

Facet counts ("how many case studies would choosing this option give, with the other active
filters?") are a few hundred set intersections per request. Done by the database they walk the
link tables of every matching case study, once per facet: at 100,000 case studies that was most
of a list page's time. Here each principle, organisation, theme, kind and year is a bitset of
the published case studies that have it, so a count is an AND and a popcount of two Python
integers: microseconds, whatever the collection's size. Bit n is the n-th newest published case
study (its *place*; `newest` maps places to primary keys): so the results of any filters are
also in date order, and a page of them, newest or oldest first, is a run of set bits
(`InDateOrder`), read without the filtered query.

The index is built from the database in a handful of queries (`FacetIndex.build`) and kept per
process and database alias, and shared between processes through the default cache (Redis in
production) under its database alias and content version: a process that needs the index of a
new version takes it from there when another has built it (about a tenth of the time to build it
at 100,000 case studies), and builds and shares it otherwise. When a content change is
committed, the process that made it records in the cache which case studies it touched and the
version it replaced (`prebuild`; caching.signals.touched_case_studies): a process holding the
index of an earlier version follows those records back to it and brings it up to date
(`FacetIndex.derive`: a few small queries and some 10 ms at 100,000 case studies, where a
build takes 0.7 s). When it cannot (a staff page's bulk write says nothing of what it touched,
a record is gone, too many changed), it takes the index the committing process built in a
thread of its own (settings.FACET_INDEX_PREBUILD) and shared, or builds it. A shared index is
used only for its own version, and only while it is fresh (below), so nothing stale is served.

It is rebuilt when it may be out of date:

- the content version changed (`casestudies.caching.version`: every content change and staff
  write replaces it in the database, so every worker sees it within CONTENT_VERSION_SECONDS);
- a case study scheduled when it was built has come out since (`valid_until`);
- it is older than `FACET_INDEX_SECONDS`, for changes the application cannot see (raw SQL, a
  restore). 0 builds a fresh index every time.

Memory: about (published case studies / 8) bytes per option, some 6 MB at 100,000 case studies;
each published case study's roles and organisations (`roles_at`, `organisations_at`: what its
card shows, and organisation counts for lists of few results); and what `remember` keeps: at
most REMEMBERED values, mostly searches' (a bitset of their matches as large as an option's,
their ranks when they match a few thousand at most).
"""

import contextlib
import logging
import os
import threading
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from itertools import chain

import numpy
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import Min, prefetch_related_objects
from django.dispatch import receiver
from django.utils import timezone

from ..caching.signals import LINKS
from ..caching.version import content_version, stand_in, version_committed
from ..models import CaseStudy, CaseStudyOrganisation, Theme, ThemedCaseStudy


def to_bits(ids):
    """A bitset (int) with bit n set for each id n."""
    return _group((None, n) for n in ids).get(None, 0)


def from_bits(bits):
    """The ids (ascending) of the bits set in the bitset `bits`."""
    text = bin(bits)[:1:-1]  # bit 0 first
    ids = []
    at = text.find("1")
    while at != -1:
        ids.append(at)
        at = text.find("1", at + 1)
    return ids


def _group(pairs, size=None):
    """{key: bitset} from (key, id) pairs; `size`, when known, is more than the largest id."""
    buffers = {}
    if size is None:
        pairs = list(pairs)
        size = max((n for _, n in pairs), default=0) + 1
    length = size // 8 + 1
    for key, n in pairs:
        buffer = buffers.get(key)
        if buffer is None:
            buffer = buffers[key] = bytearray(length)
        buffer[n >> 3] |= 1 << (n & 7)
    return {key: int.from_bytes(buffer, "little") for key, buffer in buffers.items()}


RELATED_WINDOW = 500  # related case studies are the best of the 500 newest sharing a principle


def _places(newest):
    """{pk: place} of the published case studies in `newest`, as an array indexed by pk (-1:
    not published)."""
    places = array("q", [-1]) * (max(newest, default=0) + 1)
    for n, pk in enumerate(newest):
        places[pk] = n
    return places


def _by_place(pairs, places, size):
    """{key: bitset of places} from (key, case study pk) pairs, for `size` published case
    studies; those that are not published (no place) are left out."""
    last = len(places)
    return _group(((key, places[pk]) for key, pk in pairs if pk < last and places[pk] >= 0), size)


def _roles_by_place(rows, places, size):
    """[place -> that published case study's roles: (link pk, organisation pk, role) by link
    pk] from (organisation pk, case study pk, link pk, role) rows."""
    found = [[] for _ in range(size)]
    last = len(places)
    stored = {}  # one object for each organisation pk and role, not one a row
    for organisation, pk, link, role in rows:
        if pk < last and places[pk] >= 0:
            organisation = stored.setdefault(organisation, organisation)
            found[places[pk]].append((link, organisation, stored.setdefault(role, role)))
    return [tuple(sorted(roles)) for roles in found]


def _organisations_in(roles_at):
    """[place -> the pks (ascending) of the organisations taking part in it, in any role]
    from `roles_at`; equal tuples are stored once."""
    stored = {}
    organisations = (tuple(sorted({o for _, o, _ in roles})) for roles in roles_at)
    return [stored.setdefault(t, t) for t in organisations]


def count_within(base, groups):
    """{key: how many of the bitset `base` are in the bitset groups[key]}, zeros left out."""
    counts = {}
    for key, bits in groups.items():
        n = (base & bits).bit_count()
        if n:
            counts[key] = n
    return counts


def low_bits_holding(bits, n):
    """How many of the lowest bits of `bits` hold `n` of its set bits (all of its bits when it
    has fewer): a bisection on counts of low bits, microseconds at 100,000 bits."""
    low, high = 0, bits.bit_length()
    while low < high:
        middle = (low + high) // 2
        if (bits & ((1 << middle) - 1)).bit_count() >= n:
            high = middle
        else:
            low = middle + 1
    return low


def set_bits_ranked(bits, start, stop):
    """The places (ascending) of the set bits of `bits` whose rank, counting from the lowest
    (0), is in range(start, stop): a page of results. A bisection on counts of low bits, then
    the run itself: microseconds at 100,000 bits."""
    if stop <= start:
        return []
    low = low_bits_holding(bits, start)
    rest, wanted, span = bits >> low, stop - start, 64 * (stop - start)
    while True:
        window = rest & ((1 << span) - 1)
        if window.bit_count() >= wanted or span >= rest.bit_length():
            break
        span *= 4
    return [low + n for n in from_bits(window)[:wanted]]


@dataclass(frozen=True)
class FacetIndex:
    published: int  # a bit for each place: the published case studies
    principle: dict  # principle pk -> bitset of the places of published case studies meeting it
    organisation: dict  # organisation pk -> ... taking part in it, in any role
    theme: dict  # theme pk -> ... about it
    kind: dict  # kind value -> ...
    year: dict  # year -> ...
    newest: array  # place -> pk: the published case studies' pks, newest first
    # place -> its roles, (link pk, organisation pk, role) by link pk: what its card shows
    roles_at: list
    # place -> the organisations (pks, ascending) taking part in it: `count_organisations`
    organisations_at: list
    built_at: datetime
    valid_until: datetime | None  # the next scheduled publication
    version: str | None  # the content version it was built for
    # What was worked out from this content (see `remember`): searches' matches, spelling,
    # highlighted words and ranks, the facets' option names, the principles.
    remembered: dict = field(default_factory=dict, compare=False, repr=False)
    # What every page needs from this content (the principles, the options' names, the public
    # themes and organisations): a handful of values, never pushed out by searches (`keep`).
    kept: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, using="default", now=None, version=None):
        """Five queries, whatever the number of case studies."""
        now = now or timezone.now()
        rows = list(
            CaseStudy.objects.using(using)
            .published(now)
            .order_by("-published_at", "-pk")
            .values_list("pk", "kind", "year")
        )
        newest = array("q", (pk for pk, _, _ in rows))
        places = _places(newest)
        links = {
            facet: list(pairs.values_list(option, case_study, *_LINK_DETAILS.get(facet, ())))
            for facet, pairs, option, case_study in _links(using)
        }
        roles_at = _roles_by_place(links["organisation"], places, len(rows))
        links["organisation"] = [
            (organisation, pk) for organisation, pk, _, _ in links["organisation"]
        ]
        index = cls(
            published=(1 << len(rows)) - 1,
            **{facet: _by_place(pairs, places, len(rows)) for facet, pairs in links.items()},
            roles_at=roles_at,
            organisations_at=_organisations_in(roles_at),
            kind=_group(((kind, n) for n, (_, kind, _) in enumerate(rows)), len(rows)),
            # None: no year
            year=_group(((year, n) for n, (_, _, year) in enumerate(rows)), len(rows)),
            newest=newest,
            built_at=now,
            valid_until=_next_publication(using, now),
            version=version,
        )
        index.kept[("places",)] = places
        return index

    def derive(self, changed, using="default", now=None, version=None):
        """What `build` would give now, made from this index and the case studies `changed`
        (pks) since it was built: five small queries, then each changed case study taken out of
        every bitset and, if it is published, put back where it now belongs (two more small
        queries find where: `_position`), a shift of each bitset: some 10 ms at 100,000 case
        studies, where a build takes half a second or more. Only for an index that is still
        fresh but for its version (the others' places are taken as they are), and keeping its
        `built_at`, so that FACET_INDEX_SECONDS still bounds the age of what was not read
        again. None if a case study it holds has gone meanwhile (a later change: build)."""
        now = now or timezone.now()
        changed = set(changed)
        rows = list(
            CaseStudy.objects.using(using)
            .published(now)
            .filter(pk__in=changed)
            .values_list("pk", "kind", "year", "published_at")
        )
        published = [pk for pk, _, _, _ in rows]
        options = {pk: [] for pk in published}  # pk -> [(facet, key)]
        roles = {pk: [] for pk in published}
        for facet, pairs, option, case_study in _links(using):
            pairs = pairs.filter(**{f"{case_study}__in": published})
            for value, pk, *details in pairs.values_list(
                option, case_study, *_LINK_DETAILS.get(facet, ())
            ):
                options[pk].append((facet, value))
                if details:
                    roles[pk].append((details[0], value, details[1]))
        for pk, kind, year, _ in rows:
            options[pk] += [("kind", kind), ("year", year)]
        facets = {name: dict(getattr(self, name)) for name in _FACETS}
        newest = array("q", self.newest)
        roles_at, organisations_at = list(self.roles_at), list(self.organisations_at)
        places = self.kept.get(("places",)) or _places(self.newest)
        gone = [places[pk] for pk in changed if 0 <= pk < len(places) and places[pk] >= 0]
        for place in sorted(gone, reverse=True):
            _shift(facets, place, opening=False)
            del newest[place]
            del roles_at[place]
            del organisations_at[place]
        for pk, _, _, when in rows:
            place = _position(newest, pk, when, using)
            if place is None:
                return None
            _shift(facets, place, opening=True)
            for facet, key in options[pk]:
                groups = facets[facet]
                groups[key] = groups.get(key, 0) | (1 << place)
            newest.insert(place, pk)
            roles_at.insert(place, tuple(sorted(roles[pk])))
            organisations_at.insert(place, _organisations_in([roles_at[place]])[0])
        return FacetIndex(
            published=(1 << len(newest)) - 1,
            **{name: {k: b for k, b in groups.items() if b} for name, groups in facets.items()},
            newest=newest,
            roles_at=roles_at,
            organisations_at=organisations_at,
            built_at=self.built_at,
            valid_until=_next_publication(using, now),
            version=version,
        )

    def places(self):
        """{pk: place} as an array indexed by pk (-1: not published): made from `newest` once
        per index and process (not shared: it is as large as `newest`)."""
        return self.keep(("places",), lambda: _places(self.newest))

    def place(self, pk):
        """The place of case study `pk`, or -1 if it is not published."""
        places = self.places()
        return places[pk] if 0 <= pk < len(places) else -1

    def bits_of(self, pks):
        """The bitset of those of `pks` (any iterable of ints, or a NumPy array) that are
        published: a search's matches, tens of thousands of ids for a common word at 100,000
        case studies. Done with NumPy, on the whole array at once: a loop of Python over 90,000
        ids took 15-35 ms, now about 1 ms."""
        places = numpy.frombuffer(self.places(), dtype=numpy.int64)  # a view of the array
        if not isinstance(pks, numpy.ndarray):
            pks = numpy.fromiter(pks, dtype=numpy.int64)
        pks = pks[(pks >= 0) & (pks < len(places))]
        found = places[pks]
        flags = numpy.zeros(len(self.newest), dtype=numpy.uint8)
        flags[found[found >= 0]] = 1
        return int.from_bytes(numpy.packbits(flags, bitorder="little").tobytes(), "little")

    def pks_of(self, bits):
        """The pks of the case studies in the bitset `bits`, newest first."""
        newest = self.newest
        return [newest[n] for n in from_bits(bits)]

    def count_organisations(self, bits, walk=None):
        """{organisation pk: how many of the case studies in the bitset `bits` it takes part
        in}, zeros left out. An AND with each organisation's bitset (some 400 of them) costs the
        same whatever `bits` holds: 6-7 ms at 90,000 published case studies on a slow machine.
        Most filtered lists hold a few hundred case studies (the median of the cold load's
        addresses: 82 at 100,000), so they are counted from `organisations_at` instead, a case
        study at a time: some 1 us each. Walking a case study costs about what ANDing 7,500
        bits does, and each AND some 2,000 bits' worth more (measured side by side, 9,000 and
        90,000 places): whichever is cheaper is done, unless `walk` says which."""
        if walk is None:
            walk = bits.bit_count() * 7_500 < len(self.organisation) * (len(self.newest) + 2_000)
        if walk:
            at = self.organisations_at
            return dict(Counter(chain.from_iterable(map(at.__getitem__, from_bits(bits)))))
        return count_within(bits, self.organisation)

    def related(self, pk, principles, limit=3, window=RELATED_WINDOW):
        """[(pk, how many principles shared)] of at most `limit` other published case studies
        sharing the most of `principles` (pks) with case study `pk`, the newest first among
        equals; ranked among the `window` newest that share any, so that the cost does not grow
        with the collection. No query, and no walk over the window's case studies: the places
        of the newest sharing any are the lowest set bits of the principles' bitsets, ORed, and
        how many each shares is counted for all of them at once, in bitsets (`levels`)."""
        chosen = [self.principle.get(p, 0) for p in set(principles)]
        sharing = 0
        for bits in chosen:
            sharing |= bits
        own = self.place(pk)
        if own >= 0:
            sharing &= ~(1 << own)
        candidates = sharing & ((1 << low_bits_holding(sharing, window)) - 1)
        # levels[c]: the candidates sharing at least c of the principles (none share more).
        levels = [candidates, *[0] * len(chosen), 0]
        for bits in chosen:
            for c in range(len(chosen), 0, -1):
                levels[c] |= levels[c - 1] & bits
        ranked = []
        for c in range(len(chosen), 0, -1):
            exactly = levels[c] & ~levels[c + 1]
            for n in set_bits_ranked(exactly, 0, limit - len(ranked)):
                ranked.append((self.newest[n], c))
            if len(ranked) == limit:
                break
        return ranked

    def remember(self, key, compute):
        """`compute()`, remembered for this index's life (so until the content changes) for
        the REMEMBERED most recently computed keys: what a search matches, or the words it
        highlights, for the next page of results or the same words with another filter."""
        value = self.remembered.get(key)
        if value is None:
            value = compute()
            with _lock:
                while len(self.remembered) >= REMEMBERED:
                    self.remembered.pop(next(iter(self.remembered)))
                self.remembered[key] = value
        return value

    def keep(self, key, compute):
        """`compute()`, kept for this index's life: for the few values every page needs, which
        a burst of new searches must not push out of `remembered` (each would then be read
        again)."""
        value = self.kept.get(key)
        if value is None:
            value = compute()
            with _lock:
                self.kept[key] = value
        return value

    def is_fresh(self, version, now):
        if version is None or version != self.version:
            return False
        if self.valid_until is not None and now >= self.valid_until:
            return False
        return now - self.built_at < timedelta(seconds=settings.FACET_INDEX_SECONDS)


_FACETS = ("principle", "organisation", "theme", "kind", "year")


# What else the index reads of a facet's links (after the option and the case study): each
# organisation's role in a case study, and the link's pk, for the cards (`roles_at`).
_LINK_DETAILS = {"organisation": ("pk", "role")}


def _links(using):
    """(facet, the links' queryset, the option's field, the case study's field) of the facets
    read from a link table (caching.signals.LINKS: what a change to them touched)."""
    for facet, model, option in [
        ("principle", CaseStudy.principles.through, "principle_id"),
        ("organisation", CaseStudyOrganisation, "organisation_id"),
        ("theme", ThemedCaseStudy, "tag_id"),
    ]:
        yield facet, model.objects.using(using), option, LINKS[model]


def _next_publication(using, now):
    """When the next case study scheduled after `now` comes out (None: none is)."""
    return (
        CaseStudy.objects.using(using)
        .filter(status=CaseStudy.Status.PUBLISHED, published_at__gt=now)
        .aggregate(next=Min("published_at"))["next"]
    )


def _shift(facets, place, opening):
    """Every bitset of `facets` ({facet: {key: bits}}) with a clear bit opened at `place`, the
    bits from there up moving up one, or (not `opening`) the bit at `place` taken out, those
    above it moving down one."""
    below = (1 << place) - 1
    for groups in facets.values():
        for key, bits in groups.items():
            above = bits >> place << (place + 1) if opening else bits >> (place + 1) << place
            groups[key] = (bits & below) | above


_PROBED = 256  # `_position` reads the dates of every 256th place, then of one run of 255


def _position(newest, pk, when, using):
    """The place where case study `pk`, published `when`, belongs among `newest` (pks, newest
    first, the newer pk first among equals): how many of them are newer. A bisection on the
    publication dates of every _PROBED-th place, then on those of the run between two of them,
    each read in one query (the index keeps no dates: reading them with every build would
    double its time). None if one of them is no longer in the database."""

    def newer(pks):  # how many of `pks` (newest first) were published after `when`
        dates = dict(
            CaseStudy.objects.using(using).filter(pk__in=pks).values_list("pk", "published_at")
        )
        if len(dates) < len(set(pks)):
            raise LookupError
        low, high = 0, len(pks)
        while low < high:
            middle = (low + high) // 2
            if (dates[pks[middle]], pks[middle]) > (when, pk):
                low = middle + 1
            else:
                high = middle
        return low

    try:
        probes = newer(list(newest[::_PROBED]))
        if probes == 0:
            return 0
        start = (probes - 1) * _PROBED + 1
        return start + newer(list(newest[start : probes * _PROBED]))
    except LookupError:
        return None


_indexes = {}
_lock = threading.Lock()
REMEMBERED = 200  # up to three entries a search (spelling, matches with words, ranks), a few others


def current(using=None):
    """The index of the published case studies now, built again only when it may be stale.
    From the database the request reads (the replica for the public, when there is one)."""
    using = using or router.db_for_read(CaseStudy)
    version = content_version()
    now = timezone.now()
    index = _indexes.get(using)
    if index is not None and index.is_fresh(version, now):
        return index
    with _lock:  # one thread builds; the others use what it built
        index = _indexes.get(using)
        if index is None or not index.is_fresh(version, now):
            fresh = _derived(index, using, version, now) or _shared(using, version, now)
            if fresh is None and _stands_in(index, using, version, now):
                stand_in()  # nothing drawn from it is kept
                return index
            if fresh is None:
                fresh = FacetIndex.build(using, now, version)
                _share(using, fresh)
            _indexes[using] = index = fresh
    return index


MAX_CHANGED = 50  # more changed case studies than this since an index: it is built again
# How many versions back an index is brought up to date from: each saved row and link is a
# version (an admin save of a case study with its principles, roles and themes is some twenty),
# and each is a read from the cache (0.1-0.2 ms from Redis).
CHANGES_FOLLOWED = 200


def _derived(index, using, version, now):
    """`index` brought up to `version` from the changes committed since its own version, as
    the committing processes recorded them (`prebuild`); None when they cannot all be known
    (a staff page's bulk write, a record gone from the cache, too many changes), or when the
    index has expired for its own reasons (a scheduled publication, FACET_INDEX_SECONDS)."""
    if index is None or version is None or not _sharing():
        return None
    if index.version is None or not index.is_fresh(index.version, now):
        return None
    changed = _changed_since(index.version, version)
    if changed is None:
        return None
    return index.derive(changed, using, now, version)


def _changed_since(earlier, version):
    """The pks of the case studies changed between content versions `earlier` and `version`,
    following each version's record back to its predecessor; None when the chain cannot be
    followed (or says it cannot say) within CHANGES_FOLLOWED versions."""
    changed = set()
    try:
        for _ in range(CHANGES_FOLLOWED):
            if version == earlier:
                return changed
            record = cache.get(_change_key(version))
            if not isinstance(record, tuple) or record[0] is None or record[1] is None:
                return None
            version, pks = record
            changed.update(pks)
            if len(changed) > MAX_CHANGED:
                return None
    except Exception:
        logger.warning("Cache unavailable: facet index not brought up to date", exc_info=True)
    return None


def _stands_in(index, using, version, now):
    """Whether the index of an earlier version may answer while another process builds this
    version's (it said so: `prebuild`), for at most FACET_INDEX_STAND_IN_SECONDS after the
    change: so that no worker stalls for the second or two a build takes at 100,000 case
    studies, each building its own. Its answers may lag by that change; a page's own rows are
    still read published (no unpublished case study is shown), and nothing drawn from it is
    kept (`stand_in`). Not when it has expired for its own reasons (a scheduled publication
    came out, or FACET_INDEX_SECONDS passed)."""
    if index is None or version is None or not _sharing():
        return False
    if index.valid_until is not None and now >= index.valid_until:
        return False
    if now - index.built_at >= timedelta(seconds=settings.FACET_INDEX_SECONDS):
        return False
    try:
        return bool(cache.get(_building_key(using, version)))
    except Exception:
        return False


logger = logging.getLogger(__name__)
_SHARED_FIELDS = [f.name for f in fields(FacetIndex) if f.name not in ("remembered", "kept")]


def _shared_key(using, version):
    return f"facetindex:3:{using}:{version}"


def _change_key(version):
    return f"facetindex:change:{version}"


def _building_key(using, version):
    return f"facetindex:building:{using}:{version}"


def _sharing():
    return settings.FACET_INDEX_SECONDS > 0 and settings.FACET_INDEX_SHARED


def _shared(using, version, now):
    """The index another process built for this database and content version, if it is kept
    and still fresh; None otherwise (or when the cache does not answer)."""
    if version is None or not _sharing():
        return None
    try:
        kept = cache.get(_shared_key(using, version))
    except Exception:
        logger.warning("Cache unavailable: facet index built here", exc_info=True)
        return None
    if not isinstance(kept, dict) or kept.get("version") != version:
        return None
    if any(name not in kept for name in _SHARED_FIELDS):
        return None  # shared by an earlier release, which kept less
    index = FacetIndex(**{name: kept[name] for name in _SHARED_FIELDS})
    return index if index.is_fresh(version, now) else None


def _share(using, index):
    """Keep `index` for the other processes, for as long as it may be used."""
    if index.version is None or not _sharing():
        return
    try:
        cache.set(
            _shared_key(using, index.version),
            {name: getattr(index, name) for name in _SHARED_FIELDS},
            timeout=settings.FACET_INDEX_SECONDS,
        )
    except Exception:
        logger.warning("Cache unavailable: facet index not shared", exc_info=True)


@receiver(version_committed, dispatch_uid="facet_index_prebuild")
def prebuild(using, version, previous=None, changed=None, **kwargs):
    """A new content version was committed: say what it changed, so that every process brings
    the index it has up to date (`_derived`) instead of building it again, and build its index
    off the readers' path, in a thread of this process, and share it, for processes that have
    none (settings.FACET_INDEX_PREBUILD)."""
    if not _sharing():
        return
    record = (previous, None if changed is None else tuple(changed))
    try:
        cache.set(_change_key(version), record, timeout=settings.FACET_INDEX_SECONDS)
    except Exception:
        logger.warning("Cache unavailable: readers will build the index", exc_info=True)
    if not settings.FACET_INDEX_PREBUILD:
        return
    with _lock:
        _latest[using] = version
    try:  # readers may go on with the index they have meanwhile (`_stands_in`)
        cache.set(_building_key(using, version), 1, timeout=settings.FACET_INDEX_STAND_IN_SECONDS)
    except Exception:
        logger.warning("Cache unavailable: readers will build the index", exc_info=True)

    def build():
        try:
            yield_to_readers()
            build_ahead(using, version)
        except Exception:
            logger.warning("Facet index not built ahead of readers", exc_info=True)
        finally:
            connections[using].close()  # this thread's own connection

    threading.Thread(target=build, name="facet-index-prebuild", daemon=True).start()


def yield_to_readers():
    """Lower this thread's scheduling priority by FACET_INDEX_PREBUILD_NICE (Linux schedules
    threads apart, each with its nice value): the build takes a core for half a second or more
    at 100,000 case studies, and readers in the other workers should not wait behind it.
    Elsewhere, or when not allowed, nothing changes."""
    if settings.FACET_INDEX_PREBUILD_NICE <= 0:
        return
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        nice = os.getpriority(os.PRIO_PROCESS, thread) + settings.FACET_INDEX_PREBUILD_NICE
        os.setpriority(os.PRIO_PROCESS, thread, min(nice, 19))


def build_ahead(using, version):
    """Build and share the index of `version` (just committed), unless a newer change followed
    in this process (its own thread builds that one): brought up to date from the index this
    process has, when it can be."""
    if _latest.get(using) == version:
        now = timezone.now()
        index = _derived(_indexes.get(using), using, version, now)
        _share(using, index or FacetIndex.build(using, now, version))


_latest = {}  # database alias -> the last version committed by this process


def next_publication(using=None):
    """The next scheduled publication, or None: how long a page may be kept (the page cache
    asks, through settings.PAGE_CACHE_NEXT_PUBLICATION). No query when the index is fresh."""
    return current(using).valid_until


def published_counts(facet, using=None):
    """{pk: how many published case studies have it} for "principle", "organisation" or
    "theme"; those with none are left out."""
    return {key: bits.bit_count() for key, bits in getattr(current(using), facet).items()}


def with_counts(objects, facet, using=None, keep_empty=True):
    """`objects` (principles, organisations or themes: the facet's name) as a list, each with
    `case_study_count`, how many published case studies have it; without those that have
    none unless `keep_empty`. Microseconds, where counting in SQL took 0.4 s for the seven
    principles at 100,000 case studies."""
    counts = published_counts(facet, using)
    counted = []
    for obj in objects:
        obj.case_study_count = counts.get(obj.pk, 0)
        if keep_empty or obj.case_study_count:
            counted.append(obj)
    return counted


class InDateOrder(Sequence):
    """The pks of the published case studies in the bitset `bits`, newest first (or oldest
    first): what a list's paginator slices. A page reads only its own run of bits."""

    def __init__(self, index, bits, oldest_first=False):
        self.index = index
        self.bits = bits
        self.oldest_first = oldest_first
        self.length = bits.bit_count()

    def __len__(self):
        return self.length

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop, step = item.indices(self.length)
        if step != 1:
            raise ValueError("only runs of results")
        if self.oldest_first:
            places = set_bits_ranked(self.bits, self.length - stop, self.length - start)[::-1]
        else:
            places = set_bits_ranked(self.bits, start, stop)
        return [self.index.newest[n] for n in places]


def names(index, model, using):
    """[(pk, slug, name)] of every organisation (or theme: `model`), by name, read once per
    content version (and worker): the filter form's options, and the order of a card's
    organisations."""
    return index.keep(
        ("options", model._meta.model_name),
        lambda: list(
            model.objects.using(using).order_by("name", "pk").values_list("pk", "slug", "name")
        ),
    )


def prefetch_themes(case_studies, using=None):
    """Fill the themes of `case_studies` as prefetch_related("themes") would: those of
    published case studies from the index (a bit in each theme's set, so no query), the
    others' from the database."""
    using = using or router.db_for_read(CaseStudy)
    index = current(using)
    themes = index.keep(
        ("theme objects",),
        lambda: list(Theme.objects.using(using).filter(pk__in=list(index.theme)).order_by("name")),
    )
    prefetch_from_index(index, case_studies, "themes", themes, index.theme)


def prefetch_from_index(index, case_studies, name, objects, groups):
    """Fill the relation `name` of each case study as prefetch_related(name) would: for a
    published one, those of `objects` (in their order) whose bitset in `groups` ({pk: bits})
    holds it, so no query; the others' from the database."""
    unknown = []
    for case_study in case_studies:
        place = index.place(case_study.pk)
        if place < 0:  # not published
            unknown.append(case_study)
            continue
        fill_prefetched(
            case_study, name, [o for o in objects if (groups.get(o.pk, 0) >> place) & 1]
        )
    prefetch_related_objects(unknown, name)


def prefetched(instance, name):
    """What `instance`'s relation `name` holds: the prefetched results where there are some,
    without making the relation's manager (some 10 us), else `relation.all()`."""
    cache = instance.__dict__.get("_prefetched_objects_cache")
    if cache is not None and name in cache:
        return cache[name]
    return getattr(instance, name).all()


def fill_prefetched(instance, name, objects):
    """Set what `instance`'s relation `name` holds, as prefetch_related(name) would have."""
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = Prefetched(
        instance, name, objects
    )


class Prefetched:
    """What a relation of a case study holds, filled from the index or a query of plain values:
    what `case_study.principles.all()` (or `.roles`, `.themes`) returns. It answers what pages
    ask of it (iterating, counting, testing, indexing) from its results; anything else
    (`filter`, `order_by`, ...) is asked of the relation's own queryset, filtered to the case
    study as prefetch_related leaves it, made then and holding these results. Django's prefetch
    makes that queryset for every case study whatever is done with it: some 50 us each, 2 ms
    for a list page's 20 cards."""

    def __init__(self, instance, name, objects):
        self.instance, self.name, self.objects = instance, name, list(objects)

    def all(self):
        return self

    def __iter__(self):
        return iter(self.objects)

    def __len__(self):
        return len(self.objects)

    def __bool__(self):
        return bool(self.objects)

    def __getitem__(self, item):
        return self.objects[item]

    def count(self):
        return len(self.objects)

    def exists(self):
        return bool(self.objects)

    def __getattr__(self, attribute):
        if attribute.startswith("__") or attribute in ("instance", "name", "objects"):
            raise AttributeError(attribute)  # copy, pickle and the like: not a queryset's
        cache = self.instance._prefetched_objects_cache
        cache.pop(self.name, None)
        queryset = getattr(self.instance, self.name).all()  # the relation's own, unfilled
        queryset._result_cache, queryset._prefetch_done = list(self.objects), True
        cache[self.name] = queryset
        return getattr(queryset, attribute)


def forget():
    """Drop every index (tests; after loading data behind the application's back)."""
    _indexes.clear()
