"""The staff pages for organisations, contacts and themes.

Member editors read organisations (to name partners) and change none; they change their own
organisation's contacts, and see another organisation's contact, on a case study they share,
with its public details only; they see public themes and their own case studies' themes.
"""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.utils.translation import ngettext
from taggit.models import Tag

from ..models import CaseStudy, Contact, Organisation, Theme, ThemedCaseStudy
from ..publishing.roles import editor_organisation, is_publisher, sees_private_details
from .personaldata import ContactPersonalData
from .scoping import ScopedHistoryAdmin


@admin.register(Organisation)
class OrganisationAdmin(ScopedHistoryAdmin):
    list_display = ["name", "kind", "membership"]
    list_filter = ["kind", "membership"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ProposedChangesFilter(admin.SimpleListFilter):
    title = "proposed changes"
    parameter_name = "proposed"

    def lookups(self, request, model_admin):
        return [("yes", "Waiting for staff")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(proposed_changes={})
        return queryset


@admin.register(Contact)
class ContactAdmin(ContactPersonalData, ScopedHistoryAdmin):
    list_display = [
        "name",
        "role",
        "organisation",
        "email_visibility",
        "phone_visibility",
        "proposals",
    ]
    list_filter = [ProposedChangesFilter, "email_visibility", "phone_visibility"]
    readonly_fields = ["proposals"]
    actions = ["accept_proposed_changes", "reject_proposed_changes"]
    list_select_related = ["organisation"]
    search_fields = ["name", "role", "organisation__name", "email"]
    autocomplete_fields = ["organisation"]
    #: What a member editor sees of another organisation's contact: the public details only.
    public_fields = ["name", "role", "organisation", "shown_email", "shown_phone"]

    def get_queryset(self, request):
        """Member editors see their organisation's contacts and those on their case studies."""
        qs = super().get_queryset(request)
        if is_publisher(request.user):
            return qs
        organisation = editor_organisation(request.user)
        if organisation is None:
            return qs.none()
        on_own_case_studies = CaseStudy.contacts.through.objects.filter(
            casestudy__in=CaseStudy.objects.visible_to(request.user).values("pk")
        ).values("contact")
        return qs.filter(Q(organisation=organisation) | Q(pk__in=on_own_case_studies))

    def get_list_display(self, request):
        # Proposals may hold private details: in the list for publishers, on the page for the
        # contact's own organisation.
        if is_publisher(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "proposals"]

    def get_search_fields(self, request):
        # Searching by email would let anyone probe an address they may not read.
        if is_publisher(request.user):
            return self.search_fields
        return [field for field in self.search_fields if field != "email"]

    def get_fields(self, request, obj=None):
        if obj is not None and not sees_private_details(request.user, obj):
            return self.public_fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not sees_private_details(request.user, obj):
            return self.public_fields
        return super().get_readonly_fields(request, obj)

    @admin.display(description="proposed changes")
    def proposals(self, obj):
        """What an import read for this person and staff have not accepted yet."""
        changes = {k: v for k, v in obj.proposed_changes.items() if k != "source"}
        if not changes:
            return "-"
        listed = ", ".join(f"{field}: {value}" for field, value in changes.items())
        return f"{listed} (from {obj.proposed_changes.get('source', 'an import')})"

    def _decide(self, request, queryset, accept):
        decided = 0
        for contact in queryset.exclude(proposed_changes={}):
            if not self.has_change_permission(request, contact):
                continue
            contact._history_user = request.user
            if accept:
                contact.accept_proposed_changes()
            else:
                contact.proposed_changes = {}
                contact.save()
            decided += 1
        verb = "Accepted" if accept else "Rejected"
        self.message_user(
            request,
            ngettext(
                "%(verb)s the proposed changes of %(n)d contact.",
                "%(verb)s the proposed changes of %(n)d contacts.",
                decided,
            )
            % {"verb": verb, "n": decided},
            messages.SUCCESS,
        )

    @admin.action(description="Accept the proposed changes", permissions=["change"])
    def accept_proposed_changes(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description="Reject the proposed changes", permissions=["change"])
    def reject_proposed_changes(self, request, queryset):
        self._decide(request, queryset, accept=False)

    @admin.display(description="email")
    def shown_email(self, obj):
        return obj.public_email or "(not public)"

    @admin.display(description="phone")
    def shown_phone(self, obj):
        return obj.public_phone or "(not public)"

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or is_publisher(request.user):
            return True
        organisation = editor_organisation(request.user)
        return organisation is not None and obj.organisation_id == organisation.pk


# Themes are our tags; taggit's own (unused) Tag model would only confuse staff.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        """Member editors see public themes and their own case studies' themes, never the
        name of a theme used only in another organisation's draft."""
        qs = super().get_queryset(request)
        if is_publisher(request.user):
            return qs
        own = ThemedCaseStudy.objects.filter(
            content_object__in=CaseStudy.objects.visible_to(request.user).values("pk")
        ).values("tag")
        return qs.filter(Q(pk__in=Theme.objects.public().values("pk")) | Q(pk__in=own))
