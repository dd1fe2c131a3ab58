"""The PDF pack of a filtered list (casestudies.opendata.packs), at /case-studies/pack.pdf with
the list's own query string."""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from principles.models import Principle

from ..discovery.filters import CaseStudyFilter, chips
from ..models import CaseStudy
from ..opendata import packs

logger = logging.getLogger(__name__)


class CaseStudyPackView(View):
    """Exactly the list the visitor is looking at (every page of it), published case studies
    only, as a PDF. Bad filters get the 400 page that says what was wrong; an empty list, or one
    longer than a pack may be, a page that says so and how to get a pack."""

    def get(self, request):
        filterset = CaseStudyFilter(request.GET or None, queryset=CaseStudy.objects.published())
        if filterset.is_bound and not filterset.is_valid():
            return render(
                request, "casestudies/filter_errors.html", {"filter": filterset}, status=400
            )
        query = request.GET.copy()
        query.pop("page", None)
        context = {"query_string": query.urlencode(), "total": filterset.total}
        if filterset.total == 0:
            return render(request, "casestudies/pack_unavailable.html", context, status=404)
        active = [label for label, _ in chips(filterset, request.GET)]
        description = "; ".join(active) if active else "Every published case study"
        try:
            pdf = packs.pack(
                filterset,
                list(Principle.objects.all()),
                description,
                request.build_absolute_uri("/").rstrip("/"),
            )
        except packs.PackTooLarge:
            context["limit"] = packs.limit()
            return render(request, "casestudies/pack_unavailable.html", context, status=400)
        except packs.PackRendererMissing:
            logger.error("PDF packs are unavailable: WeasyPrint cannot load Pango")
            context["renderer_missing"] = True
            return render(request, "casestudies/pack_unavailable.html", context, status=503)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="case-studies.pdf"'
        return response
