"""The staff site: Django's admin with one generic hole closed, and a second factor.

Publishers and superusers sign in with a code from an authenticator app as well as their
password (coopnet/twofactor.py).

Django's `view_on_site` shortcut (`/admin/r/<content type>/<id>/`) redirects any staff user to
any object's public address, whoever may see the object: a member editor could read the slugs
(and so the titles) of other organisations' drafts by counting ids. Here it redirects only to
objects that the model's admin shows the user (`ModelAdmin.get_queryset(request)`), and answers
404 otherwise. This module imports no app: it asks each registered admin for its own scope.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse

from . import twofactor


class StaffSite(admin.AdminSite):
    site_header = "CoopNet case studies: staff"
    site_title = "CoopNet staff"
    index_title = "Case studies, principles and people"
    login_form = twofactor.StaffAuthenticationForm
    login_template = "admin/staff_login.html"

    def has_permission(self, request):
        """Staff, and for publishers and superusers a second factor (coopnet/twofactor.py)."""
        return super().has_permission(request) and not twofactor.lacks_second_factor(request.user)

    def login(self, request, extra_context=None):
        # Signed in with the password but still needing a second factor: set it up (or sign
        # in again with a code), rather than the sign-in form saying "not authorised".
        if request.method == "GET" and twofactor.lacks_second_factor(request.user):
            return redirect(f"{reverse('admin:two_factor')}?{request.GET.urlencode()}")
        return super().login(request, extra_context)

    def get_urls(self):
        urls = super().get_urls()
        scoped = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        two_factor = path("two-factor/", twofactor.setup, name="two_factor")
        return [
            two_factor,
            *(scoped if getattr(url, "name", None) == "view_on_site" else url for url in urls),
        ]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist) as error:
            raise Http404("No such kind of object.") from error
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404("No such object.")
        try:
            visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError) as error:
            raise Http404("No such object.") from error
        if not visible:
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
