"""Staff pages for members: invitations to sign up, and the log of members' messages.

Publishers alone see both. An invitation is made by adding one (the link is emailed at once,
in the background); the log is read only, for abuse handling.
"""

from django.contrib import admin, messages
from django.utils.translation import ngettext

from ..members import signup
from ..models import ContactMessage, MemberInvitation
from ..publishing.roles import is_publisher
from .scoping import PublishersOnly


@admin.register(MemberInvitation)
class MemberInvitationAdmin(PublishersOnly, admin.ModelAdmin):
    """Invite someone whose address is not at a member organisation's domain."""

    list_display = ["email", "created_at", "invited_by", "accepted_at"]
    search_fields = ["email"]
    fields = ["email"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return is_publisher(request.user)

    def get_fields(self, request, obj=None):
        return ["email"] if obj is None else ["email", "invited_by", "created_at", "accepted_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        signup.send_invitation(obj, request)
        self.message_user(request, f"The sign-up link has been emailed to {obj.email}.")

    @admin.action(description="Send the sign-up link again", permissions=["view"])
    def send_again(self, request, queryset):
        sent = 0
        for invitation in queryset.filter(accepted_at__isnull=True):
            signup.send_invitation(invitation, request)
            sent += 1
        self.message_user(
            request,
            ngettext("Sent %(n)d sign-up link.", "Sent %(n)d sign-up links.", sent) % {"n": sent},
            messages.SUCCESS,
        )


@admin.register(ContactMessage)
class ContactMessageAdmin(PublishersOnly, admin.ModelAdmin):
    """Who wrote to whom, when, about what: never the text."""

    list_display = ["sent_at", "sender_email", "contact", "case_study", "organisation"]
    list_filter = ["sent_at"]
    list_select_related = ["sender", "contact__organisation", "case_study", "organisation"]
    search_fields = ["sender__email", "contact__name"]
    readonly_fields = ["sender", "contact", "case_study", "organisation", "submission", "sent_at"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description="sender", ordering="sender__email")
    def sender_email(self, obj):
        return obj.sender.email if obj.sender else "(account deleted)"
