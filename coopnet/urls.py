from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from casestudies.views import HomeView

admin.site.site_header = "CoopNet case studies"
admin.site.site_title = "CoopNet admin"
admin.site.index_title = "Case studies, principles and people"

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
]

# A database failure outside a view also gets the friendly 503 page (coopnet/ops/views.py).
handler500 = "coopnet.ops.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
