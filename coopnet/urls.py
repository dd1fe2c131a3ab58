from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from casestudies.sitemaps import SITEMAPS
from casestudies.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("casestudies.urls")),
    path("principles/", include("principles.urls")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility_statement",
    ),
    path("admin/", admin.site.urls),
    path("", include("coopnet.ops.urls")),  # /healthz and /readyz
    # Discovery: open-data API, sitemap and robots.txt.
    path("api/v1/", include("casestudies.api_urls")),
    path("api/", RedirectView.as_view(pattern_name="api:docs"), name="api_root"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]

# A database failure outside a view also gets the friendly 503 page (coopnet/ops/views.py).
handler500 = "coopnet.ops.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
