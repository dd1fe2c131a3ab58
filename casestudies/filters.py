"""The filters of the public case study list, shared by the page, the CSV export and the API."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, Max, Min, OuterRef, Q

from principles.models import Principle

from . import search
from .models import CaseStudy, CaseStudyOrganisation, Organisation, Theme, ThemedCaseStudy

MAX_QUERY_LENGTH = 200


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

    @property
    def is_empty(self):
        return self.count == 0 and not self.selected


class CaseStudyFilter(django_filters.FilterSet):
    """The whole state lives in the query string, so a link shares or bookmarks it."""

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    principle = django_filters.ModelMultipleChoiceFilter(
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
    organisation = django_filters.ModelChoiceFilter(
        label="Council or organisation",
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method="filter_organisation",
        empty_label="Any organisation",
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme",
        queryset=lambda request: Theme.objects.public(),  # evaluated per request: "now" moves
        to_field_name="slug",
        method="filter_theme",
        empty_label="Any theme",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=CaseStudy.Kind.choices, empty_label="Any kind"
    )
    year = django_filters.NumberFilter(label="Year of the work", min_value=1900, max_value=2100)
    sort = Sort(
        label="Sort by",
        choices=[
            ("relevance", "Relevance (when searching)"),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tsquery = None
        self._tsquery_text = None

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
        if connections[queryset.db].vendor != "postgresql":
            return queryset.contains_every_word(value)
        if self._tsquery_text != value:  # spell-correct the words once per request
            self._tsquery = search.build_query(value, using=queryset.db)
            self._tsquery_text = value
        return search.apply_query(queryset, self._tsquery)

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

    def order(self, queryset):
        sort = self.sort_order
        if sort == "relevance" and "rank" in queryset.query.annotations:
            return queryset.order_by("-rank", "-published_at", "-pk")
        if sort == "oldest":
            return queryset.oldest_first()
        if sort == "title":
            return queryset.by_title()
        return queryset.newest_first()

    # Facets --------------------------------------------------------------------------------
    #
    # Each facet counts, per option, the case studies of its own base: every active filter
    # but its own. Facets whose bases are the same set (the common case: a facet that is not in
    # use has the full filtered list as its base) are counted by one query, which finds that
    # set once (a common table expression) and groups it by every facet at once. So the number
    # of queries depends on which filters are in use, never on how many case studies or
    # options there are.

    def _bases(self):
        """facet name -> the case studies (a queryset) that facet's counts are taken from."""
        selected = list(self.cleaned("principle") or [])
        total = self.filter_queryset_except(self.queryset, exclude={"sort"})
        if self.match_all or not selected:
            # Adding a principle narrows the current results to those meeting it too.
            principle_base = total
        else:
            # Adding a principle adds those meeting it (and not the others) to the results.
            others = self._except("principle", "match")
            principle_base = others.exclude(
                Exists(
                    CaseStudy.principles.through.objects.filter(
                        casestudy=OuterRef("pk"), principle__in=selected
                    )
                )
            )
        return {
            "total": total,
            "principle_total": total,  # how many results meet each principle (coverage page)
            "principle": principle_base,
            "organisation": self._except("organisation"),
            "theme": self._except("theme"),
            "kind_year": self._except("kind", "year"),
        }

    def _except(self, *names):
        return self.filter_queryset_except(self.queryset, exclude={*names, "sort"})

    def counts(self):
        """{"total": n, "principle": {pk: n}, "organisation": ..., "theme": ..., "kind_year":
        {(kind, year): n}}, in one query per distinct base set."""
        if hasattr(self, "_counts"):
            return self._counts
        groups = {}
        for facet, base in self._bases().items():
            try:
                sql, params = base.order_by().values("pk", "kind", "year").query.sql_with_params()
            except EmptyResultSet:  # a base that can match nothing: every count is zero
                continue
            groups.setdefault((sql, repr(params)), ([], params))[0].append(facet)
        result = {
            "total": 0,
            "principle_total": {},
            "principle": {},
            "organisation": {},
            "theme": {},
            "kind_year": {},
        }
        connection = connections[self.queryset.db]
        unfiltered = (
            self.queryset.order_by().values("pk", "kind", "year").query.sql_with_params()[0]
        )
        for (sql, _), (facets, params) in groups.items():
            # A filtered set is found once (materialised) and grouped by every facet. Every
            # published case study is better left to each count's own plan (hash semi-joins on
            # the indexes) than materialised: PostgreSQL then inlines the expression.
            inline = sql == unfiltered and connection.vendor == "postgresql"
            statement = (
                f"WITH base(id, kind, year) AS {'NOT MATERIALIZED ' if inline else ''}({sql}) "
                + " UNION ALL ".join(self.GROUPINGS[facet] for facet in facets)
            )
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                for facet, key, key2, n in cursor.fetchall():
                    if facet == "total":
                        result["total"] = n
                    elif facet == "kind_year":
                        year = int(key2) if key2 is not None else None
                        result["kind_year"][(key, year)] = n
                    else:
                        result[facet][int(key)] = n
        self._counts = result
        return result

    @classmethod
    def _groupings(cls):
        """SQL per facet, counting within the set `base` (id, kind, year)."""
        links = CaseStudy.principles.through._meta.db_table
        roles = CaseStudyOrganisation._meta.db_table
        themed = ThemedCaseStudy._meta.db_table
        return {
            "total": "SELECT 'total', NULL, NULL, COUNT(*) FROM base",
            "principle": (
                f"SELECT 'principle', CAST(principle_id AS TEXT), NULL, COUNT(*) FROM {links} "
                "WHERE casestudy_id IN (SELECT id FROM base) GROUP BY principle_id"
            ),
            "principle_total": (
                f"SELECT 'principle_total', CAST(principle_id AS TEXT), NULL, COUNT(*) "
                f"FROM {links} WHERE casestudy_id IN (SELECT id FROM base) GROUP BY principle_id"
            ),
            "organisation": (
                "SELECT 'organisation', CAST(organisation_id AS TEXT), NULL, "
                f"COUNT(DISTINCT case_study_id) FROM {roles} "
                "WHERE case_study_id IN (SELECT id FROM base) GROUP BY organisation_id"
            ),
            "theme": (
                "SELECT 'theme', CAST(tag_id AS TEXT), NULL, "
                f"COUNT(DISTINCT content_object_id) FROM {themed} "
                "WHERE content_object_id IN (SELECT id FROM base) GROUP BY tag_id"
            ),
            "kind_year": (
                "SELECT 'kind_year', kind, CAST(year AS TEXT), COUNT(*) "
                "FROM base GROUP BY kind, year"
            ),
        }

    @property
    def total(self):
        return self.counts()["total"]

    def facets(self):
        """Each facet's options with how many case studies choosing it would give."""
        counts = self.counts()
        return {
            "principle": self._principle_options(counts),
            "organisation": self._organisation_options(counts["organisation"]),
            "theme": self._theme_options(counts["theme"]),
            **self._kind_and_year_options(counts["kind_year"]),
        }

    def _principle_options(self, counts):
        total = counts["total"]
        selected = list(self.cleaned("principle") or [])
        base = 0 if self.match_all or not selected else total
        chosen = {p.pk for p in selected}
        return [
            Option(
                slug,
                title,
                total if pk in chosen else base + counts["principle"].get(pk, 0),
                pk in chosen,
            )
            for pk, slug, title in Principle.objects.values_list("pk", "slug", "title")
        ]

    def _organisation_options(self, counts):
        chosen = self.cleaned("organisation")
        # Correlated both ways, so each organisation stops at its first published case study.
        published = CaseStudyOrganisation.objects.filter(organisation=OuterRef("pk")).filter(
            Exists(self.queryset.filter(pk=OuterRef("case_study")))
        )
        organisations = (
            Organisation.objects.filter(Q(Exists(published)) | Q(pk=chosen.pk if chosen else None))
            .order_by("name")
            .values_list("pk", "slug", "name")
        )
        return [
            Option(slug, name, counts.get(pk, 0), chosen is not None and pk == chosen.pk)
            for pk, slug, name in organisations
        ]

    def _theme_options(self, counts):
        chosen = self.cleaned("theme")
        themes = Theme.objects.public().order_by("name").values_list("pk", "slug", "name")
        return [
            Option(slug, name, counts.get(pk, 0), chosen is not None and pk == chosen.pk)
            for pk, slug, name in themes
        ]

    def _kind_and_year_options(self, rows):
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
        # Every year from the earliest to the latest (two index look-ups), so that years with
        # no case study under the current filters show as zero.
        span = CaseStudy.objects.aggregate(first=Min("year"), last=Max("year"))
        all_years = set(range(span["first"], span["last"] + 1)) if span["first"] else set()
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


CaseStudyFilter.GROUPINGS = CaseStudyFilter._groupings()


def chips(filterset, query):
    """The active filters, each with the address that removes it (a QueryDict `query`)."""
    if not hasattr(filterset.form, "cleaned_data"):
        return []
    data = filterset.form.cleaned_data
    found = []

    def without(name, value=None):
        remaining = query.copy()
        remaining.pop("page", None)
        if value is None:
            remaining.pop(name, None)
        else:
            remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
        return "?" + remaining.urlencode() if remaining else "?"

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
