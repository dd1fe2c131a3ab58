from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ..caching import pages
from . import api

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.register("case-studies", api.CaseStudyViewSet, basename="casestudy")
router.register("principles", api.PrincipleViewSet, basename="principle")
router.register("organisations", api.OrganisationViewSet, basename="organisation")

# The API documentation loads its scripts from files (the "split" Swagger view serves its
# start-up script at an address of its own), so scripts stay under the strict policy; Swagger UI
# styles itself with inline styles, which this page alone allows. (drf-spectacular's Redoc page
# is left out: its template loads web fonts from a CDN.)
docs_styles = csp_replace({"style-src": [SELF, UNSAFE_INLINE]})


def negotiated(view):
    """The schema comes as YAML or JSON, as the Accept header asks: never stored as a page."""

    def wrapped(request, *args, **kwargs):
        pages.varies_on_accept(request)
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    path("schema/", negotiated(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        docs_styles(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("", include(router.urls)),
]
