"""The public site's addresses: home, case studies, organisations, principles, open data."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from .caching import pages
from .opendata.sitemaps import SITEMAPS
from .views import HomeView
from .views.invitations import accept_invitation

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("casestudies.urls")),
    path("principles/", include("casestudies.principle_urls")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility_statement",
    ),
    # A member editor's invitation, from the emailed link.
    path("invitations/<str:token>/", accept_invitation, name="editor_invitation"),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy_notice"),
    path("members/", include("casestudies.member_urls")),
    path("alerts/", include("casestudies.alert_urls")),
    # Open data: the API, the sitemap and robots.txt.
    path("api/v1/", include("casestudies.opendata.api_urls")),
    path("api/", RedirectView.as_view(pattern_name="api:docs"), name="api_root"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        pages.reading("p")(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]
