from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import ngettext

from .models import CaseStudy, CaseStudyOrganisation, Contact, Organisation, Theme


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "membership"]
    list_filter = ["kind", "membership"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "email_consent", "phone_consent"]
    list_filter = ["email_consent", "phone_consent"]
    list_select_related = ["organisation"]
    search_fields = ["name", "role", "organisation__name", "email"]
    autocomplete_fields = ["organisation"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class OrganisationRoleInline(admin.TabularInline):
    model = CaseStudyOrganisation
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "kind", "year", "updated_at"]
    list_filter = ["status", "kind", "principles", "organisations", "themes", "year"]
    search_fields = ["title", "summary", "body", "organisations__name", "contacts__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["principles", "contacts"]
    date_hierarchy = "published_at"
    inlines = [OrganisationRoleInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("About the work", {"fields": ["kind", "year", "principles", "themes", "contacts"]}),
        ("Pull quote", {"fields": ["pull_quote", "pull_quote_attribution"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        (
            "History",
            {"fields": ["created_at", "created_by", "updated_at", "updated_by"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if obj.status == CaseStudy.Status.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected case studies", permissions=["change"])
    def publish(self, request, queryset):
        count = 0
        for case_study in queryset:
            case_study.status = CaseStudy.Status.PUBLISHED
            case_study.published_at = case_study.published_at or timezone.now()
            case_study.updated_by = request.user
            case_study.save()
            count += 1
        self.message_user(
            request,
            ngettext("Published %d case study.", "Published %d case studies.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected case studies", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(
            status=CaseStudy.Status.DRAFT, updated_by=request.user, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("Unpublished %d case study.", "Unpublished %d case studies.", count) % count,
            messages.SUCCESS,
        )
