"""URLs for tests/test_csp_in_browser.py: the site, plus one address that replays a page."""

from django.http import HttpResponse
from django.urls import path

from coopnet.urls import urlpatterns as site

SNAPSHOT = {"html": "", "policy": ""}


def replay(request):
    """The recorded page, under the policy it was rendered with (so its nonce still holds)."""
    response = HttpResponse(SNAPSHOT["html"])
    if SNAPSHOT["policy"]:
        response["Content-Security-Policy"] = SNAPSHOT["policy"]
    return response


urlpatterns = [path("csp-snapshot/", replay), *site]
