"""Member editors' memberships, on their own page and on the user page."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from ..models import EditorMembership


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
    verbose_name_plural = "Member editor of (put the user in the Member editors group too)"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CoopNetUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, EditorMembershipInline]
