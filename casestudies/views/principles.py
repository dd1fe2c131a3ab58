from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from principles.models import Principle

from ..caching import pages
from ..discovery import facets
from ..models import CaseStudy
from .pages import FilteredCaseStudiesMixin


class PrincipleListView(ListView):
    template_name = "principles/principle_list.html"
    context_object_name = "principles"

    def get_queryset(self):
        return facets.with_counts(Principle.objects.prefetch_related("commitments"), "principle")


class PrincipleDetailView(ListView):
    """A principle, its statement, and the published case studies that meet it."""

    template_name = "principles/principle_detail.html"
    paginate_by = settings.CASE_STUDIES_PER_PAGE
    context_object_name = "case_studies"

    def get(self, request, *args, **kwargs):
        pages.reads_only(request, [self.page_kwarg])
        self.principle = get_object_or_404(
            Principle.objects.prefetch_related("commitments"), slug=kwargs["slug"]
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            CaseStudy.objects.published()
            .filter(principles=self.principle)
            .for_listing()
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(principle=self.principle, **kwargs)


class PrincipleCoverageView(FilteredCaseStudiesMixin, ListView):
    """The matrix of case studies by principles, filterable like the case study list."""

    template_name = "principles/principle_coverage.html"
    paginate_by = 50
    context_object_name = "case_studies"

    def get_queryset(self):
        return self.filtered().prefetch_related("principles")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.filter_context())
        totals = self.filterset.counts()["principle_total"] if self.is_valid() else {}
        principles = list(Principle.objects.all())
        for principle in principles:
            principle.total = totals.get(principle.pk, 0)
        context["principles"] = principles
        context["rows"] = [
            (case_study, [p.pk in met for p in principles], len(met))
            for case_study in context["case_studies"]
            for met in [{p.pk for p in case_study.principles.all()}]
        ]
        return context
