"""The filters of the public case study list, shared by the page, the CSV export and the API."""

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from html import escape
from operator import and_, or_
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import cached_property

from principles.models import Principle

from ..caching.version import keeps_nothing
from ..models import CaseStudy, Organisation, SearchWord, Theme
from . import facets, search

MAX_QUERY_LENGTH = 200
RANKED_AT_MOST = 1000  # a search matching more is shown newest first (see ranks_by_relevance)
BY_RELEVANCE = ("-rank", "-published_at", "-pk")  # a ranked search's order, in every path


class Sort(django_filters.ChoiceFilter):
    """Ordering is applied by CaseStudyFilter.filter_queryset, default included."""

    def filter(self, qs, value):
        return qs


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    colour: str = ""  # principles only: their colour and icon beside the label
    icon: str = ""

    @property
    def is_empty(self):
        return self.count == 0 and not self.selected


class NamedOptions(Sequence):
    """The options of a select of organisations or themes, some 480 of them: `rows`, kept per
    content version (`prepare`), with this request's `counts` ({pk: n}) and the `chosen` pk.
    Drawn in one pass (`html`) from each row's escaped parts: an Option for each, then drawn
    one by one, took a millisecond a request; now some 0.15 ms. Indexing gives Options, for
    whatever else reads them."""

    def __init__(self, rows, counts, chosen):
        self.rows = rows
        self.counts = counts
        self.chosen = chosen

    @staticmethod
    def prepare(names):
        """[(pk, slug, name, the <option>'s escaped start, its label's)] from (pk, slug, name)."""
        return [
            (pk, slug, name, f'<option value="{escape(str(slug))}"', f">{escape(str(name))} (")
            for pk, slug, name in names
        ]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        pk, slug, name, _, _ = self.rows[index]
        return Option(slug, name, self.counts.get(pk, 0), pk == self.chosen)

    def html(self):
        """The <option>s, as facets' Options draw (jinja.facet_options): empty ones disabled."""
        count, chosen = self.counts.get, self.chosen
        return "\n".join(
            [
                f"{start} selected{label}{count(pk, 0)})</option>"
                if pk == chosen
                else f"{start}{label}{n})</option>"
                if (n := count(pk, 0))
                else f"{start} disabled{label}0)</option>"
                for pk, _, _, start, label in self.rows
            ]
        )


class PublicChoiceField(forms.ModelChoiceField):
    """A public theme or organisation, by slug.

    Which ones are public changes with the clock (scheduled case studies), so it is asked when
    one is chosen, not fixed in the field: the filter form's class is then built once
    (CaseStudyFilter.get_form_class) instead of on every request. `known()` ({slug: object},
    which the filter set works out once per facet index from its own sets, so once per content
    change) answers without a query; without it, the database is asked.
    """

    known = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        try:
            known = self.known() if self.known is not None else None
            if known is not None and (str(value) in known or not keeps_nothing()):
                return known[str(value)]
            # No index, or one standing in for a newer version (in which a theme or
            # organisation may have become public): the database says.
            return self.queryset.public().get(**{self.to_field_name or "pk": value})
        except (ValueError, TypeError, KeyError, self.queryset.model.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class KnownPrinciplesField(django_filters.fields.ModelMultipleChoiceField):
    """Principles by slug, checked against `known()` ({slug: principle}, which the filter set
    reads once per content version) rather than with a query on every request."""

    known = None

    def _check_values(self, value):
        known = self.known() if self.known is not None else None
        if known is None or keeps_nothing():  # or standing in for a newer version: asked
            return super()._check_values(value)  # of the database (a principle may be new)
        try:
            slugs = frozenset(value)
        except TypeError:
            message = self.error_messages["invalid_list"]
            raise ValidationError(message, code="invalid_list") from None
        for slug in slugs:
            self.validate_no_null_characters(slug)
            if slug not in known:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
        return [principle for principle in known.values() if principle.slug in slugs]


class KnownPrinciplesFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = KnownPrinciplesField


class PublicChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PublicChoiceField


class ShallowCopies(dict):
    """A filter set's filters, or its form's fields, copied one by one, not deeply, for each
    filter set and form: django-filter and Django deep-copy them (each holds its queryset, its
    choices and its widget: half a millisecond a request, some 3% of a cold list page). Here
    a filter's own state is its `parent` and `model`, set per filter set, and a field's is the
    `known` the filter set gives it (CaseStudyFilter.form); their widgets are only read (Django
    copies a widget's attrs before adding to them)."""

    def __deepcopy__(self, memo):
        return {name: self.copy(item) for name, item in self.items()}

    @staticmethod
    def copy(item):
        clone = copy.copy(item)
        if getattr(item, "method", None) is not None:
            clone.method = item.method  # a filter's method: bound to the copy (FilterMethod)
        return clone


class CaseStudyFilter(django_filters.FilterSet):
    """The whole state lives in the query string, so a link shares or bookmarks it."""

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    principle = KnownPrinciplesFilter(
        label="Principles met",
        queryset=Principle.objects.all(),
        to_field_name="slug",
        method="filter_principles",
        widget=forms.CheckboxSelectMultiple,
    )
    match = django_filters.ChoiceFilter(
        label="Meeting",
        choices=[("all", "all of the chosen principles"), ("any", "any of them")],
        method="keep",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    organisation = PublicChoiceFilter(
        label="Council or organisation",
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method="filter_organisation",
        empty_label="Any organisation",
        error_messages={
            "invalid_choice": "No organisation \u201c%(value)s\u201d has published case "
            "studies: choose one from the list."
        },
    )
    theme = PublicChoiceFilter(
        label="Theme",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
        empty_label="Any theme",
        error_messages={
            "invalid_choice": "No theme \u201c%(value)s\u201d has published case studies: "
            "choose one from the list."
        },
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=CaseStudy.Kind.choices, empty_label="Any kind"
    )
    year = django_filters.NumberFilter(label="Year of the work", min_value=1900, max_value=2100)
    sort = Sort(
        label="Sort by",
        choices=[
            ("relevance", "Relevance"),  # offered only when searching
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("title", "Title (A to Z)"),
        ],
        empty_label=None,
    )

    class Meta:
        model = CaseStudy
        fields = ["q", "principle", "match", "organisation", "theme", "kind", "year", "sort"]

    FACETS = ("principle", "organisation", "theme", "kind", "year")

    def get_form_class(self):
        """The form class, built once: django-filter builds one per request (2.5 ms), but
        nothing in these fields depends on the request."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = ShallowCopies(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    # Filters -------------------------------------------------------------------------------

    def keep(self, queryset, name, value):
        return queryset  # read by filter_principles

    # The `value: str` hints tell drf-spectacular the parameter type (a slug) for the schema.
    def filter_principles(self, queryset, name, value: str):
        return queryset.meeting_principles(value, match_all=self.match_all)

    def filter_organisation(self, queryset, name, value: str):
        return queryset.involving(value)

    def filter_theme(self, queryset, name, value: str):
        return queryset.tagged(value)

    def search(self, queryset, name, value):
        # Ranked, if at all, by `order`: a broad search is shown newest first.
        return self.engine.filter(queryset, self._query(value, queryset.db))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            fields = super().form.fields
            fields["principle"].known = self._known_principles
            fields["theme"].known = self._public_themes
            fields["organisation"].known = self._public_organisations
        return self._form

    def _public_themes(self):
        """{slug: theme} of the themes of published case studies: those with a set in the
        facet index. One query per content version (and worker)."""
        db, index = self.queryset.db, self.index

        def read():
            return {t.slug: t for t in Theme.objects.using(db).filter(pk__in=list(index.theme))}

        return index.keep(("public", "theme"), read)

    def _public_organisations(self):
        """{slug: organisation} of the public organisations (Organisation.objects.public):
        network members, and those taking part in a published case study (a set in the facet
        index). One query per content version (and worker)."""
        db, index = self.queryset.db, self.index

        def read():
            public = Organisation.objects.using(db).filter(
                Q(pk__in=list(index.organisation)) | ~Q(membership=Organisation.Membership.NONE)
            )
            return {o.slug: o for o in public}

        return index.keep(("public", "organisation"), read)

    def _known_principles(self):
        """{slug: principle}, in order, read once per content version (and worker)."""
        db = self.queryset.db
        return self.index.keep(
            ("principles",), lambda: {p.slug: p for p in Principle.objects.using(db)}
        )

    @cached_property
    def engine(self):
        """The search engine of this filter set's database (discovery/search.py)."""
        return search.engine(self.queryset.db)

    @cached_property
    def index(self):
        """The facet index (one per request: with FACET_INDEX_SECONDS = 0 each call builds)."""
        return facets.current(self.queryset.db)

    def _query(self, text, using):
        """The tsquery for `text`, spell-corrected once per content version (and worker): only
        the words not in the lexicon are looked up (a misspelling, a number)."""
        return self.index.remember(
            ("query", text), lambda: self.engine.query(text, using, self._lexicon(using))
        )

    def _lexicon(self, using):
        """Every word of the search lexicon (the words of public case studies), read once per
        content version (and worker): about 1,100 words at 10,000 synthetic case studies; a
        real collection's vocabulary, some tens of thousands of words, is a few megabytes."""
        return self.index.keep(
            ("lexicon",),
            lambda: frozenset(SearchWord.objects.using(using).values_list("word", flat=True)),
        )

    @property
    def search_terms(self):
        """The stems a result's highlights mark (discovery/highlighting.py); empty when not
        searching."""
        text = self.cleaned("q")
        if not text:
            return frozenset()
        return self._search(text)[1]

    def _search_bits(self, text):
        """The case studies matching `text`, as a bitset, remembered per content version."""
        return self._search(text)[0]

    def _search(self, text):
        """(bitset of the case studies matching `text`, the stems its results' highlights
        mark), remembered per content version: worked out together, in one round trip where
        the engine can (`matches`), as every page of a search needs both."""
        return self.index.remember(("search", text), lambda: self._find(text))

    def _find(self, text):
        """Every case study (of any status: the index keeps only published ones) matching."""
        using = self.queryset.db
        query = self._query(text, using)
        both = getattr(self.engine, "matches", None)
        if both is not None:
            ids, terms = both(text, query, using)
        else:
            ids = self.engine.matching_ids(query, using)
            terms = self.engine.terms(text, query, using)
        return self.index.bits_of(ids), frozenset(terms)

    @property
    def match_all(self):
        return self.cleaned("match") != "any"

    def cleaned(self, name):
        return getattr(self.form, "cleaned_data", {}).get(name)

    @property
    def is_searching(self):
        return bool(self.cleaned("q"))

    @property
    def sort_order(self):
        sort = self.cleaned("sort")
        if sort == "relevance" and not self.is_searching:
            sort = None
        return sort or ("relevance" if self.is_searching else "newest")

    def filter_queryset(self, queryset):
        return self.order(self.filter_queryset_except(queryset))

    def filter_queryset_except(self, queryset, exclude=()):
        """`queryset` narrowed by every valid filter but those named in `exclude`."""
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if name not in exclude and value not in (None, "", [], ()):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def ranks_by_relevance(self):
        """Whether results are ranked by relevance: when searching (and not sorted otherwise),
        on PostgreSQL, and for at most RANKED_AT_MOST matches. Ranking reads every match's
        search vector, so a search matching most of a large collection is shown newest first
        instead, and the page says so (`relevance_skipped`)."""
        return self.sort_order == "relevance" and self.total <= RANKED_AT_MOST

    def ranked(self, queryset):
        """The results in relevance order, as a sequence a paginator slices, each page's rows
        read from `queryset` (the published case studies, as a list shows them); None where
        they are not ranked (not sorted by relevance, more than RANKED_AT_MOST results, or an
        engine without ranks).

        The results are known from the facet index (a thousand at most). Where the engine
        ranks in the query that reads a page (PostgreSQL: `ranks_in_query`), a page is one
        query: its rows, ranked and ordered among the results by the database, as `order`
        orders them (`RankedInQuery`): a cold search then reads no ranks it does not show.
        Otherwise every result's rank is read and kept per content version (and worker), and a
        page reads its rows by id (`ranked_ids`, `RankedResults`).
        """
        text = self.cleaned("q")
        if not (text and self.ranks_by_relevance and self.engine.ranks):
            return None
        if not getattr(self.engine, "ranks_in_query", False):
            return RankedResults(self.ranked_ids(), queryset)
        query = self._query(text, queryset.db)
        ranked = self.engine.ranked(queryset, query)
        if ranked is None:
            return RankedResults(self.ranked_ids(), queryset)
        results = self.index.pks_of(self._total_bits)
        return RankedInQuery(results, ranked.order_by(*BY_RELEVANCE))

    def ranked_ids(self):
        """The ids of the results in relevance order, ranked in memory: the ranks of the results
        (a thousand at most) are read by id, and kept per content version (and worker) with the
        words' other ranks, so that the next page, or the same words with another filter, reads
        only the ranks it has not seen (often none)."""
        text = self.cleaned("q")
        using = self.queryset.db
        results = self.index.pks_of(self._total_bits)
        ranks = self.index.remember(("ranks", text), dict)
        unseen = [pk for pk in results if pk not in ranks]
        if unseen:
            ranks.update(self.engine.ranks_of(self._query(text, using), using, ids=unseen))
        rows = [(*ranks[pk], pk) for pk in results if pk in ranks]
        rows.sort(reverse=True)  # as BY_RELEVANCE
        return [pk for _, _, pk in rows]

    def ordered_ids(self):
        """The ids of the results newest (or oldest) first, from the facet index, as a sequence
        a paginator slices (`facets.InDateOrder`); None where the database orders them (by
        title) or they are ranked by relevance (`ranked`).

        The index knows which published case studies pass the filters, in date order (a bit
        for each one's place), so a page of results is a run of set bits, and the page reads
        only its rows, by id: neither the filtered query (a subquery per principle, theme or
        organisation) nor its ordering is built or run, and a deep page costs no more than the
        first.
        """
        sort = self.sort_order
        if sort == "relevance" and self.relevance_skipped:
            sort = "newest"  # too many to rank: shown newest first (`order`)
        if sort not in ("newest", "oldest") or not self.is_valid():
            return None
        return facets.InDateOrder(self.index, self._total_bits, oldest_first=sort == "oldest")

    @property
    def relevance_skipped(self):
        return self.sort_order == "relevance" and not self.ranks_by_relevance

    def order(self, queryset):
        sort = self.sort_order
        if sort == "relevance" and self.engine.ranks and self.ranks_by_relevance:
            ranked = self.engine.ranked(queryset, self._query(self.cleaned("q"), queryset.db))
            if ranked is not None:
                return ranked.order_by(*BY_RELEVANCE)
        if sort == "oldest":
            return queryset.oldest_first()
        if sort == "title":
            return queryset.by_title()
        return queryset.newest_first()

    # Facets --------------------------------------------------------------------------------
    #
    # Each facet counts, per option, the published case studies of its own base: every active
    # filter but its own. The counts are set intersections on the in-memory facet index
    # (casestudies/discovery/facets.py); only a search asks the database, once, for the case studies
    # matching its words. So the number of queries depends on which filters are in use, never
    # on how many case studies or options there are, and a count costs microseconds.
    #
    # The page's own results still come from the database (filter_queryset): the index only
    # counts. tests/test_facet_index.py checks that both agree for many combinations.

    def _selected_bits(self, index, name, value):
        if name == "principle":
            sets = [index.principle.get(principle.pk, 0) for principle in value]
            return reduce(and_ if self.match_all else or_, sets) if sets else None
        if name in ("organisation", "theme"):
            return getattr(index, name).get(value.pk, 0)
        if name == "kind":
            return index.kind.get(value, 0)
        if name == "year":
            return index.year.get(int(value), 0) if value == int(value) else 0
        if name == "q":
            return self._search_bits(value)
        return None  # match, sort: no set of their own

    def _bits(self, index, exclude=()):
        """The published case studies (a bitset) passing every valid filter but `exclude`."""
        bits = index.published
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if name not in exclude and value not in (None, "", [], ()):
                selected = self._selected_bits(index, name, value)
                if selected is not None:
                    bits &= selected
        return bits

    def counts(self):
        """{"total": n, "principle": {pk: n}, "principle_total": {pk: n}, "organisation": ...,
        "theme": ..., "kind_year": {(kind, year): n}}: published case studies only."""
        if hasattr(self, "_counts"):
            return self._counts
        index = self.index
        total = self._total_bits
        selected = list(self.cleaned("principle") or [])
        if self.match_all or not selected:
            # Adding a principle narrows the current results to those meeting it too.
            principle_base = total
        else:
            # Adding a principle adds those meeting it (and not the others) to the results.
            chosen = reduce(or_, (index.principle.get(p.pk, 0) for p in selected))
            principle_base = self._bits(index, exclude={"principle"}) & ~chosen
        kind_year_base = self._bits(index, exclude={"kind", "year"})
        kind_year = {}
        for kind, of_kind in index.kind.items():
            of_kind &= kind_year_base
            if of_kind:
                kind_year.update(
                    ((kind, year), n)
                    for year, n in facets.count_within(of_kind, index.year).items()
                )
        self._counts = {
            "total": total.bit_count(),
            "principle_total": facets.count_within(total, index.principle),
            "principle": facets.count_within(principle_base, index.principle),
            "organisation": index.count_organisations(self._bits(index, exclude={"organisation"})),
            "theme": facets.count_within(self._bits(index, exclude={"theme"}), index.theme),
            "kind_year": kind_year,
            "years": sorted(year for year in index.year if year is not None),
            "organisations": index.organisation.keys(),
            "themes": index.theme.keys(),
        }
        return self._counts

    @cached_property
    def _total_bits(self):
        return self._bits(self.index)

    @property
    def total(self):
        """How many published case studies pass every filter (the facets need not be counted)."""
        return self._total_bits.bit_count()

    def state_key(self):
        """A string naming the filters' state (every value but the page), the same for every
        request asking for the same filters; None when a filter is invalid (the form shows
        errors then). The search text is taken as typed, as the form shows it."""
        if not self.is_bound or not self.is_valid():
            return None if self.is_bound else "[]"
        state = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            if name == "principle":
                value = sorted(principle.slug for principle in value)
            elif name == "q":
                value = self.form.data.get("q")
            elif hasattr(value, "slug"):
                value = value.slug
            state.append((name, str(value) if name != "principle" else value))
        return json.dumps(state, sort_keys=True)

    @cached_property
    def _facets(self):
        counts = self.counts()
        return {
            "principle": self._principle_options(counts),
            "organisation": self._named_options(
                Organisation, "organisation", counts["organisation"]
            ),
            "theme": self._named_options(Theme, "theme", counts["theme"]),
            **self._kind_and_year_options(counts["kind_year"], counts["years"]),
        }

    def facets(self):
        """Each facet's options with how many case studies choosing it would give. Templates
        call it only when they draw the filter form (which may come from the cache)."""
        return self._facets

    def _principle_options(self, counts):
        total = counts["total"]
        selected = list(self.cleaned("principle") or [])
        base = 0 if self.match_all or not selected else total
        chosen = {p.pk for p in selected}
        principles = self._remembered(
            "principle",
            lambda db: Principle.objects.using(db).values_list(
                "pk", "slug", "title", "colour", "icon"
            ),
        )
        return [
            Option(
                slug,
                title,
                total if pk in chosen else base + counts["principle"].get(pk, 0),
                pk in chosen,
                colour,
                icon,
            )
            for pk, slug, title, colour, icon in principles
        ]

    def _named_options(self, model, facet, counts):
        """Options for the organisations (or themes) of published case studies, and the
        chosen one, by name. Which they are is worked out once per content version (and
        worker): a request only counts and marks them."""
        chosen = self.cleaned(facet)
        chosen_pk = None if chosen is None else chosen.pk
        public = self.counts()[f"{facet}s"]
        names = facets.names(self.index, model, self.queryset.db)
        if chosen_pk is not None and chosen_pk not in public:  # a member with none published
            rows = NamedOptions.prepare(
                row for row in names if row[0] in public or row[0] == chosen_pk
            )
        else:
            rows = self.index.keep(
                ("public options", facet),
                lambda: NamedOptions.prepare(row for row in names if row[0] in public),
            )
        return NamedOptions(rows, counts, chosen_pk)

    def _remembered(self, facet, rows):
        """The facet's option rows (`rows(db)`, a queryset), read once per content version
        (and worker)."""
        return self.index.keep(("options", facet), lambda: list(rows(self.queryset.db)))

    def _kind_and_year_options(self, rows, published_years):
        """Both facets from counts grouped by (kind, year), taken without either filter.

        Kind and year are columns of the case study itself, so each facet's counts (with the
        other one's choice applied) are sums over that grouping.
        """
        kind, year = self.cleaned("kind"), self.cleaned("year")
        kinds = {}
        years = {}
        for (row_kind, row_year), n in rows.items():
            if year in (None, "") or row_year == year:
                kinds[row_kind] = kinds.get(row_kind, 0) + n
            if not kind or row_kind == kind:
                years[row_year] = years.get(row_year, 0) + n
        # Every year from the earliest to the latest published one, so that years with no case
        # study under the current filters show as zero.
        all_years = set()
        if published_years:
            all_years = set(range(published_years[0], published_years[-1] + 1))
        if year not in (None, "") and year == int(year):
            all_years.add(int(year))
        return {
            "kind": [
                Option(value, label, kinds.get(value, 0), value == kind)
                for value, label in CaseStudy.Kind.choices
            ],
            "year": [
                Option(str(y), str(y), years.get(y, 0), y == year)
                for y in sorted(all_years, reverse=True)
            ],
        }


CaseStudyFilter.base_filters = ShallowCopies(CaseStudyFilter.base_filters)


def address(query, **changes):
    """The list's address ("?" and a query string) from the QueryDict `query`, without its
    page, with `changes` made (None removes a parameter, a list sets its values): what
    query.copy(), the changes and urlencode() give, without copying the QueryDict (a deep
    copy: a tenth of a millisecond, several times a page, for its chips)."""
    params = {name: values for name, values in query.lists() if name != "page"}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value if isinstance(value, list) else [value]
    return "?" + urlencode([(name, value) for name, values in params.items() for value in values])


def chips(filterset, query):
    """The active filters, each with the address that removes it (a QueryDict `query`)."""
    if not hasattr(filterset.form, "cleaned_data"):
        return []
    data = filterset.form.cleaned_data
    found = []

    def without(name, value=None):
        if value is None:
            return address(query, **{name: None})
        return address(query, **{name: [v for v in query.getlist(name) if v != value]})

    if data.get("q"):
        found.append((f"Search: \u201c{data['q']}\u201d", without("q")))
    for principle in data.get("principle") or []:
        found.append((f"Principle: {principle.title}", without("principle", principle.slug)))
    if data.get("organisation"):
        found.append((f"Organisation: {data['organisation'].name}", without("organisation")))
    if data.get("theme"):
        found.append((f"Theme: {data['theme'].name}", without("theme")))
    if data.get("kind"):
        found.append((f"Kind: {CaseStudy.Kind(data['kind']).label}", without("kind")))
    if data.get("year"):
        found.append((f"Year: {int(data['year'])}", without("year")))
    return found


class RankedResults(Sequence):
    """Results in the order of `ids` (a search's by relevance, CaseStudyFilter.ranked_ids, or
    any list's by date, ordered_ids: a sequence), for a paginator: a page fetches only its own
    rows from `queryset`, by id."""

    def __init__(self, ids, queryset):
        self.ids = ids
        self.queryset = queryset

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return self.page(index)

    def page(self, run):
        ids = self.ids[run]
        found = {row.pk: row for row in self.queryset.filter(pk__in=ids).order_by()}
        return [found[pk] for pk in ids if pk in found]


class RankedInQuery(RankedResults):
    """The results `ids` (any order) as a paginator slices them: a page is read from
    `queryset`, which ranks and orders them, limited to them; one query a page."""

    def page(self, run):
        return list(self.queryset.filter(pk__in=self.ids)[run]) if self.ids else []
