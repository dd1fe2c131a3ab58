from django.contrib import admin

from .models import Commitment, Principle


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "colour", "icon", "slug"]
    list_editable = ["position"]
    search_fields = ["title", "statement"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CommitmentInline]
