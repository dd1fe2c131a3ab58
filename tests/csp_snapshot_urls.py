"""URLs for tests/test_csp_in_browser.py: the site, plus one address that replays a page."""

from django.http import HttpResponse
from django.urls import path

from coopnet.urls import urlpatterns as site

SNAPSHOT = {"html": ""}


def replay(request):
    return HttpResponse(SNAPSHOT["html"])


urlpatterns = [path("csp-snapshot/", replay), *site]
