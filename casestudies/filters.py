import django_filters
from django import forms

from principles.models import Principle

from .models import CaseStudy, Organisation, Theme

MAX_QUERY_LENGTH = 200


class CaseStudyFilter(django_filters.FilterSet):
    """The filters of the public case study list; the whole state lives in the query string."""

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
        field_name="organisations",
        empty_label="Any organisation",
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        field_name="themes",
        empty_label="Any theme",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=CaseStudy.Kind.choices, empty_label="Any kind"
    )
    year = django_filters.NumberFilter(label="Year of the work", min_value=1900, max_value=2100)

    class Meta:
        model = CaseStudy
        fields = ["q", "principle", "match", "organisation", "theme", "kind", "year"]

    def keep(self, queryset, name, value):
        return queryset  # read by filter_principles

    def filter_principles(self, queryset, name, value):
        match_all = self.form.cleaned_data.get("match") != "any"
        return queryset.meeting_principles(value, match_all=match_all)

    def search(self, queryset, name, value):
        return queryset.search(value)
