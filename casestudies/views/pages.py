from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView, RedirectView, TemplateView, View

from principles.models import Principle

from ..caching import pages as pagecache
from ..discovery import advice, cards, facets
from ..discovery.filters import CaseStudyFilter, RankedResults, address, chips
from ..models import CaseStudy, CaseStudyOrganisation, Organisation
from ..opendata import csv_export


class FilteredCaseStudiesMixin:
    """Published case studies narrowed by CaseStudyFilter from the query string.

    Invalid parameters (an unknown principle, an over-long search) give a 400 page that says
    what was wrong, with the filter form to fix it.
    """

    def get(self, request, *args, **kwargs):
        self.filterset = CaseStudyFilter(
            request.GET or None, queryset=CaseStudy.objects.published()
        )
        pagecache.reads_only(request, [*self.filterset.filters, self.page_kwarg])
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def is_valid(self):
        return not self.filterset.is_bound or self.filterset.is_valid()

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        if self.is_valid():
            paginator.count = self.filterset.total  # from the facet index: no query
        return paginator

    def filtered(self):
        if not self.is_valid():
            return CaseStudy.objects.none()
        return self.filterset.qs

    def filter_context(self):
        return {
            "filter": self.filterset,
            "query_string": address(self.request.GET)[1:],
            "chips": chips(self.filterset, self.request.GET),
            # Counted only if the filter form is drawn, not taken from the cache.
            "facets": SimpleLazyObject(self.filterset.facets),
        }


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            principles=facets.with_counts(Principle.objects.all(), "principle"),
            latest=CaseStudy.objects.published().for_listing().newest_first()[:6],
            **kwargs,
        )


class CaseStudyListView(FilteredCaseStudiesMixin, ListView):
    """Published case studies, filtered, searched and sorted by the query string."""

    template_name = "casestudies/casestudy_list.html"
    paginate_by = settings.CASE_STUDIES_PER_PAGE
    context_object_name = "case_studies"

    def get_queryset(self):
        """The results in order: ranked by relevance (`CaseStudyFilter.ranked`) or put in date
        order from the facet index (a page then reads its rows by id, `RankedResults`), or else
        the filtered query. A search shows excerpts: its rows have their bodies."""
        searching = self.is_valid() and self.filterset.is_searching
        listing = CaseStudy.objects.published().for_listing(with_body=searching)
        ranked = self.filterset.ranked(listing) if searching else None
        if ranked is not None:
            return ranked
        ids = self.filterset.ordered_ids()
        if ids is None:
            return self.filtered().for_listing(with_body=searching)
        # The ids are of published case studies passing the filters: no need to filter again.
        return RankedResults(ids, listing)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.filter_context())
        if self.is_valid() and not self.filterset.total:
            # An empty list: what to try instead (discovery/advice.py).
            context["advice"] = advice.advise(self.filterset, self.request.GET)
        context["pack_limit"] = settings.PACK_MAX_CASE_STUDIES
        return context


class CaseStudyDetailView(DetailView):
    template_name = "casestudies/casestudy_detail.html"
    context_object_name = "case_study"

    def get_queryset(self):
        return CaseStudy.objects.published().with_contacts()

    def get_object(self, queryset=None):
        """The case study, its principles and themes from the facet index (no query), and its
        organisations and contacts."""
        case_study = super().get_object(queryset)
        cards.prefetch([case_study])
        facets.prefetch_themes([case_study])
        return case_study

    def get_context_data(self, **kwargs):
        """The principles met come first, each with its commitments; the ones not met are named
        after them, behind a disclosure. A principle's row (icon, statement, commitments) is the
        same on every page: drawn once per content version (`principle_rows`)."""
        met = {principle.pk for principle in self.object.principles.all()}
        principles = facets.current().keep(("principle objects", "with rows"), principle_rows)
        return super().get_context_data(
            related=cards.related(self.object),
            principles_met=[p for p in principles if p.pk in met],
            principles_not_met=[p for p in principles if p.pk not in met],
            principle_count=len(principles),
            **kwargs,
        )


def principle_rows():
    """Every principle, with its commitments (one query for all) and `row`, the HTML of its row
    in a case study's "Principles met"."""
    principles = list(Principle.objects.prefetch_related("commitments"))
    for principle in principles:
        principle.row = render_to_string(
            "casestudies/includes/principle_row.html", {"principle": principle}
        )
    return principles


class CaseStudyPreviewView(CaseStudyDetailView):
    """A case study of any status, exactly as its public page would show it: staff only.

    Publishers preview everything; member editors their own organisation's case studies;
    anyone else signed in gets the ordinary 404, and visitors are sent to sign in.
    """

    template_name = "casestudies/casestudy_preview.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.PREVIEW_LOGIN_URL)
        if not request.user.is_staff:
            raise Http404("No case study to preview here.")
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_queryset(self):
        return CaseStudy.objects.visible_to(self.request.user).with_contacts()


class LegacyCaseStudyRedirectView(RedirectView):
    """The network's old addresses, /case-study/<slug> and /project/<slug> (Policy Labs and
    projects), moved here for good (301).

    Only published case studies redirect: any other slug gets the friendly 404, so that old
    links give nothing away about drafts.
    """

    permanent = True
    query_string = False

    def get_redirect_url(self, *args, **kwargs):
        case_study = get_object_or_404(CaseStudy.objects.published(), slug=kwargs["slug"])
        return case_study.get_absolute_url()


class OrganisationDetailView(ListView):
    """An organisation and the published case studies it took part in."""

    template_name = "casestudies/organisation_detail.html"
    paginate_by = settings.CASE_STUDIES_PER_PAGE
    context_object_name = "case_studies"

    def get(self, request, *args, **kwargs):
        pagecache.reads_only(request, [self.page_kwarg])
        self.organisation = get_object_or_404(Organisation.objects.public(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            CaseStudy.objects.published().involving(self.organisation).for_listing().newest_first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            programmes=self.programmes(),
            contacts=self.organisation.public_contacts(),
            **kwargs,
        )

    def programmes(self):
        """The published programmes (Policy Labs, prototypes) it led and took part in, by role;
        one query."""
        Role = CaseStudyOrganisation.Role
        parts = (
            CaseStudyOrganisation.objects.filter(
                organisation=self.organisation,
                role__in=[Role.LEAD, Role.PARTICIPANT],
                case_study__in=CaseStudy.objects.published(),
            )
            .select_related("case_study")
            .order_by("-case_study__published_at", "-case_study__pk")
        )
        led, took_part = [], []
        for part in parts:
            (led if part.role == Role.LEAD else took_part).append(part.case_study)
        return {"led": led, "took_part": took_part}


class OrganisationListView(ListView):
    template_name = "casestudies/organisation_list.html"
    context_object_name = "organisations"

    def get_queryset(self):
        """Organisations taking part in published case studies, with how many, by name."""
        return facets.with_counts(Organisation.objects.all(), "organisation", keep_empty=False)


class CaseStudyExportView(FilteredCaseStudiesMixin, View):
    """CSV of exactly the filtered list the visitor is looking at (every page of it)."""

    def get(self, request, *args, **kwargs):
        self.filterset = CaseStudyFilter(
            request.GET or None, queryset=CaseStudy.objects.published()
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return render(
                request,
                "casestudies/filter_errors.html",
                {"filter": self.filterset},
                status=400,
            )
        rows = csv_export.rows(self.filtered().for_detail(), request)
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="case-studies.csv"'
        return response
