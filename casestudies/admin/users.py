"""People on the staff site: invitations of member editors (publishers), member editors'
memberships, the user page (superusers) with each account's role said plainly, and django-axes'
lockout tables (superusers only)."""

import smtplib

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from ..models import EditorInvitation, EditorMembership
from ..notifications.invitations import send_editor_invitation
from ..publishing import invitations
from ..publishing.roles import MEMBER_EDITORS_GROUP, PUBLISHERS_GROUP, is_publisher


class EditorInvitationForm(forms.ModelForm):
    class Meta:
        model = EditorInvitation
        fields = ["email", "organisation"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if invitations.email_taken(email):
            raise forms.ValidationError(
                "There is already an account with this address. A superuser can make it a "
                "member editor on its user page."
            )
        return email


@admin.register(EditorInvitation)
class EditorInvitationAdmin(admin.ModelAdmin):
    """Publishers invite member editors here: an address and an organisation, one step."""

    form = EditorInvitationForm
    list_display = ["email", "organisation", "state", "invited_by", "created_at"]
    list_select_related = ["organisation", "invited_by"]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["state", "invited_by", "created_at", "accepted_at", "user"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "organisation"]
        return ["email", "organisation", "state", "invited_by", "created_at", "user"]

    # Publishers alone, whatever model permissions an account was given.
    def has_module_permission(self, request):
        return is_publisher(request.user)

    def has_view_permission(self, request, obj=None):
        return is_publisher(request.user)

    def has_add_permission(self, request):
        return is_publisher(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is sent as it is; withdraw it and send another

    def has_delete_permission(self, request, obj=None):
        # Withdrawing an invitation not yet used makes its link answer that it was withdrawn.
        return is_publisher(request.user) and (obj is None or obj.accepted_at is None)

    @admin.display(description="state")
    def state(self, obj):
        if obj.accepted_at is not None:
            return f"Accepted on {timezone.localtime(obj.accepted_at):%d %b %Y}"
        expires = invitations.expires_at(obj)
        if expires <= timezone.now():
            return "Expired: send a new one"
        return f"Waiting: the link works until {timezone.localtime(expires):%d %b %Y}"

    def save_model(self, request, obj, form, change):
        obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        url = request.build_absolute_uri(
            reverse("editor_invitation", args=[invitations.token_for(obj)])
        )
        try:
            send_editor_invitation(obj, url)
        except (smtplib.SMTPException, OSError) as error:
            request.invitation_not_sent = str(error) or type(error).__name__

    def response_add(self, request, obj, post_url_continue=None):
        changelist = reverse("admin:casestudies_editorinvitation_changelist")
        failure = getattr(request, "invitation_not_sent", None)
        if failure:
            self.message_user(
                request,
                f"The invitation to {obj.email} was saved, but the email could not be sent "
                f"({failure}). Delete it and try again later.",
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                f"Invitation sent to {obj.email}. When they accept it they will be a member "
                f"editor of {obj.organisation.name}. The link works once, for "
                f"{invitations.INVITATION_DAYS} days.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(changelist)


@admin.register(EditorMembership)
class EditorMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]


class EditorMembershipInline(admin.StackedInline):
    model = EditorMembership
    autocomplete_fields = ["organisation"]
    can_delete = True
    verbose_name = "member editor of"
    verbose_name_plural = "Member editor of"


def account_role(user):
    """(What the account is, in a few words; what is missing from its set-up, if anything)."""
    if user.pk is None:
        return "New account", []
    groups = set(user.groups.values_list("name", flat=True))
    membership = EditorMembership.objects.select_related("organisation").filter(user=user).first()
    problems = []
    if user.is_superuser:
        role = "Superuser: may do everything"
    elif is_publisher(user):
        role = "Publisher: sees, publishes and schedules every case study"
    elif membership is not None:
        role = f"Member editor of {membership.organisation.name}"
    elif user.is_staff:
        role = "Staff, with no role yet"
    else:
        role = "Not staff: no access to these pages"
    if not user.is_active:
        problems.append("The account is inactive: it cannot sign in.")
    if membership is not None:
        if not user.is_staff:
            problems.append("Member editor of an organisation, but not staff: tick “Staff status”.")
        if MEMBER_EDITORS_GROUP not in groups:
            problems.append(
                f"Member editor of an organisation, but not in the “{MEMBER_EDITORS_GROUP}” group."
            )
        if PUBLISHERS_GROUP in groups:
            problems.append("Both a publisher and a member editor: remove one of the two.")
    elif MEMBER_EDITORS_GROUP in groups:
        problems.append(
            f"In the “{MEMBER_EDITORS_GROUP}” group but linked to no organisation: they see no "
            "case studies. Choose the organisation under “Member editor of”."
        )
    if user.is_staff and not user.is_superuser and not groups and membership is None:
        problems.append(
            "Staff, but in no group and linked to no organisation: they can sign in and see "
            "nothing. Invite them as a member editor instead, or add them to a group."
        )
    if PUBLISHERS_GROUP in groups and not user.is_staff:
        problems.append("In the Publishers group, but not staff: tick “Staff status”.")
    return role, problems


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CoopNetUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, EditorMembershipInline]
    readonly_fields = [*UserAdmin.readonly_fields, "role"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [("Role", {"fields": ["role"]}), *fieldsets]

    @admin.display(description="role")
    def role(self, obj):
        role, problems = account_role(obj)
        if not problems:
            return role
        return format_html(
            "{}<ul>{}</ul>",
            role,
            format_html_join(
                "", '<li class="account-warning">Half set up: {}</li>', ((p,) for p in problems)
            ),
        )


class SuperusersOnly:
    """django-axes' lockout tables: for superusers, never in publishers' way."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return (
            request.user.is_active
            and request.user.is_superuser
            and super().has_change_permission(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return (
            request.user.is_active
            and request.user.is_superuser
            and super().has_delete_permission(request, obj)
        )


for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if _model in admin.site._registry:  # axes registers them unless AXES_ENABLE_ADMIN is off
        _registered = type(admin.site._registry[_model])
        admin.site.unregister(_model)
        admin.site.register(_model, type(_registered.__name__, (SuperusersOnly, _registered), {}))
