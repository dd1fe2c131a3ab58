"""The filters of the public case study list, shared by the page, the CSV export and the API."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q

from principles.models import Principle

from . import search
from .models import CaseStudy, Organisation, Theme

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

    def facets(self, total):
        """Each facet's options with how many case studies choosing it would give.

        One aggregate query per facet, whatever the number of options. `total` is the number
        of case studies the current filters give.
        """
        published = self.queryset.order_by().values("pk")
        return {
            "principle": self._principle_options(total),
            "organisation": self._organisation_options(published),
            "theme": self._theme_options(published),
            "kind": self._kind_options(),
            "year": self._year_options(),
        }

    def _ids_except(self, *names):
        return self.filter_queryset_except(self.queryset, exclude={*names, "sort"}).values("pk")

    def _principle_options(self, total):
        selected = list(self.cleaned("principle") or [])
        others = self.filter_queryset_except(self.queryset, exclude={"principle", "match", "sort"})
        if self.match_all or not selected:
            # Adding a principle narrows the current results to those meeting it too.
            within = others.meeting_principles(selected, match_all=True)
            base = 0
        else:
            # Adding a principle adds those meeting it to the current results.
            within = others.exclude(
                Exists(
                    CaseStudy.principles.through.objects.filter(
                        casestudy=OuterRef("pk"), principle__in=selected
                    )
                )
            )
            base = total
        principles = Principle.objects.annotate(
            n=Count("case_studies", filter=Q(case_studies__in=within.values("pk")))
        ).order_by("position", "title")
        chosen = {p.pk for p in selected}
        return [
            Option(
                p.slug,
                p.title,
                total if p.pk in chosen else base + p.n,
                p.pk in chosen,
            )
            for p in principles
        ]

    def _organisation_options(self, published):
        chosen = self.cleaned("organisation")
        organisations = (
            Organisation.objects.annotate(
                total=Count(
                    "roles__case_study", filter=Q(roles__case_study__in=published), distinct=True
                ),
                n=Count(
                    "roles__case_study",
                    filter=Q(roles__case_study__in=self._ids_except("organisation")),
                    distinct=True,
                ),
            )
            .filter(Q(total__gt=0) | Q(pk=chosen.pk if chosen else None))
            .order_by("name")
        )
        return [
            Option(o.slug, o.name, o.n, chosen is not None and o.pk == chosen.pk)
            for o in organisations
        ]

    def _theme_options(self, published):
        chosen = self.cleaned("theme")
        themes = (
            Theme.objects.annotate(
                total=Count(
                    "tagged_items__content_object",
                    filter=Q(tagged_items__content_object__in=published),
                    distinct=True,
                ),
                n=Count(
                    "tagged_items__content_object",
                    filter=Q(tagged_items__content_object__in=self._ids_except("theme")),
                    distinct=True,
                ),
            )
            .filter(Q(total__gt=0) | Q(pk=chosen.pk if chosen else None))
            .order_by("name")
        )
        return [
            Option(t.slug, t.name, t.n, chosen is not None and t.pk == chosen.pk) for t in themes
        ]

    def _kind_options(self):
        chosen = self.cleaned("kind")
        counts = dict(
            self._ids_except("kind").order_by().values_list("kind").annotate(n=Count("pk"))
        )
        return [
            Option(value, label, counts.get(value, 0), value == chosen)
            for value, label in CaseStudy.Kind.choices
        ]

    def _year_options(self):
        chosen = self.cleaned("year")
        rows = (
            self.queryset.filter(year__isnull=False)
            .order_by()
            .values_list("year")
            .annotate(n=Count("pk", filter=Q(pk__in=self._ids_except("year"))))
            .order_by("-year")
        )
        years = [Option(str(year), str(year), n, year == chosen) for year, n in rows]
        if chosen and all(not option.selected for option in years):
            years.insert(0, Option(str(chosen), str(chosen), 0, True))
        return years


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
