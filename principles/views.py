from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from casestudies.models import CaseStudy

from .models import Principle


class PrincipleListView(ListView):
    template_name = "principles/principle_list.html"
    context_object_name = "principles"

    def get_queryset(self):
        return Principle.objects.with_case_study_counts().prefetch_related("commitments")


class PrincipleDetailView(ListView):
    """A principle, its statement, and the published case studies that meet it."""

    template_name = "principles/principle_detail.html"
    paginate_by = settings.CASE_STUDIES_PER_PAGE
    context_object_name = "case_studies"

    def get(self, request, *args, **kwargs):
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
