from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, RedirectView, TemplateView

from principles.models import Principle

from .filters import CaseStudyFilter
from .models import CaseStudy, Organisation


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            principles=Principle.objects.with_case_study_counts(),
            latest=CaseStudy.objects.published().for_listing().newest_first()[:6],
            **kwargs,
        )


class CaseStudyListView(ListView):
    """Published case studies, filtered by the query string."""

    template_name = "casestudies/casestudy_list.html"
    paginate_by = settings.CASE_STUDIES_PER_PAGE
    context_object_name = "case_studies"

    def get(self, request, *args, **kwargs):
        self.filterset = CaseStudyFilter(
            request.GET or None,
            queryset=CaseStudy.objects.published().for_listing().newest_first(),
        )
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=self.filterset, query_string=query.urlencode(), **kwargs
        )


class CaseStudyDetailView(DetailView):
    template_name = "casestudies/casestudy_detail.html"
    context_object_name = "case_study"

    def get_queryset(self):
        return CaseStudy.objects.published().for_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(related=self.object.related(), **kwargs)


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
        return CaseStudy.objects.visible_to(self.request.user).for_detail()


class LegacyCaseStudyRedirectView(RedirectView):
    """The network's old addresses, /case-study/<slug>, moved here for good (301).

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
        self.organisation = get_object_or_404(Organisation, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            CaseStudy.objects.published()
            .filter(pk__in=self.organisation.roles.values("case_study"))
            .for_listing()
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)


class OrganisationListView(ListView):
    template_name = "casestudies/organisation_list.html"
    context_object_name = "organisations"

    def get_queryset(self):
        published = CaseStudy.objects.published().values("pk")
        return Organisation.objects.annotate(
            case_study_count=Count(
                "roles__case_study", filter=Q(roles__case_study__in=published), distinct=True
            )
        ).filter(case_study_count__gt=0)
