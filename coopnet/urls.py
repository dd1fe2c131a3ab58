"""The root URLconf: the staff site, health checks, and the public site (casestudies).

It imports no app: each is included by name.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("coopnet.ops.urls")),  # /healthz and /readyz
    # Member accounts: allauth's sign-in, sign-up, verification, password reset, sign-out
    path("accounts/", include("allauth.urls")),
    path("", include("casestudies.site_urls")),
]

# A database failure outside a view also gets the friendly 503 page (coopnet/ops/views.py).
handler500 = "coopnet.ops.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
