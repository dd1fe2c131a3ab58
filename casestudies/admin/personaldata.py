"""Personal data on request: publishers export and erase what is held about a person.

A person is a contact (its page under Contacts) or a member's account (Member accounts: a
read-only list of the accounts that are not staff). Each page gets two tools, "Export personal
data" (a JSON file) and "Erase personal data" (a confirmation page, then the erasure), and
the log of both (Personal data requests) says who did what and when, never about whom by name.
Only publishers see any of it: member editors change their organisation's contacts, but
exporting or erasing a person is the network's decision (casestudies/publishing/personaldata.py
says what is removed).
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..models import MemberAccount, PersonalDataRequest
from ..publishing import personaldata
from ..publishing.roles import is_publisher
from .scoping import PublishersReadOnly


class PersonalDataAdminMixin:
    """Adds /<id>/personal-data/ (the JSON export) and /<id>/erase/ to a model's admin, and their
    links to its change page, for publishers only."""

    #: PersonalDataRequest.Subject of the model's records: it chooses how they are exported
    #: and erased (casestudies.publishing.personaldata.export and erase).
    personal_data_subject = None

    def personal_data_name(self, obj):
        return str(obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/personal-data/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_personal_data".format(*info),
            ),
            path(
                "<path:object_id>/erase/",
                self.admin_site.admin_view(self.erase_view),
                name="{}_{}_erase".format(*info),
            ),
            *super().get_urls(),
        ]

    def _person(self, request, object_id):
        """The record, if the user is a publisher and the admin shows it to them; else 403/404."""
        if not is_publisher(request.user):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such person.")
        return obj

    def _url(self, name, obj):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if is_publisher(request.user):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                extra_context["personal_data_urls"] = {
                    "export": self._url("personal_data", obj),
                    "erase": self._url("erase", obj),
                }
        return super().change_view(request, object_id, form_url, extra_context)

    def export_view(self, request, object_id):
        obj = self._person(request, object_id)
        data = personaldata.export(self.personal_data_subject, obj)
        personaldata.record_export(self.personal_data_subject, obj.pk, request.user)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = f"personal-data-{self.personal_data_subject}-{obj.pk}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def erase_view(self, request, object_id):
        obj = self._person(request, object_id)
        if request.method == "POST":
            try:
                done = personaldata.erase(self.personal_data_subject, obj, request.user)
            except ProtectedError:
                self.message_user(
                    request,
                    "Nothing was erased: another record still needs this person.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                f"Erased: {done}. The record of the erasure names no one.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse(
                    "admin:casestudies_personaldatarequest_changelist",
                    current_app=self.admin_site.name,
                )
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": "Erase personal data",
            "person": self.personal_data_name(obj),
            "export_url": self._url("personal_data", obj),
            "mentions": personaldata.mentions(getattr(obj, "name", "") or obj.get_full_name()),
        }
        return TemplateResponse(request, "admin/casestudies/personal_data_erase.html", context)


class ContactPersonalData(PersonalDataAdminMixin):
    """The personal data tools of the contact admin (casestudies/admin/organisations.py)."""

    personal_data_subject = PersonalDataRequest.Subject.CONTACT


@admin.register(MemberAccount)
class MemberAccountAdmin(PublishersReadOnly, PersonalDataAdminMixin, admin.ModelAdmin):
    """Members' accounts (not staff), to find a person who asks for their data; superusers see
    every account but their own, staff included."""

    personal_data_subject = PersonalDataRequest.Subject.MEMBER
    list_display = ["username", "email", "date_joined", "last_login", "is_active"]
    search_fields = ["username", "email", "first_name", "last_name"]
    list_filter = ["is_active"]
    fields = ["username", "first_name", "last_name", "email", "date_joined", "last_login"]
    actions = None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=personaldata.erasable_accounts(request.user).values("pk"))
        )

    def personal_data_name(self, obj):
        return obj.get_full_name() or obj.get_username()


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(PublishersReadOnly, admin.ModelAdmin):
    """The log of exports and erasures: what was done, by whom and when; no names."""

    list_display = ["handled_at", "action", "subject_kind", "subject_id", "handled_by"]
    list_filter = ["action", "subject_kind"]
    list_select_related = ["handled_by"]
    fields = ["action", "subject_kind", "subject_id", "handled_by", "handled_at", "removed"]
    actions = None
