"""The read-only open-data API (/api/v1/): case studies, principles and organisations.

Case studies are filtered and searched by the same CaseStudyFilter as the list page. Only
published case studies appear; contacts' email and phone only where shown to everyone.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import pagination, serializers, viewsets

from principles.models import Principle

from ..caching import pages
from ..discovery import facets
from ..discovery.filters import CaseStudyFilter
from ..models import CaseStudy, CaseStudyOrganisation, Contact, Organisation


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CaseStudyCountMixin(serializers.Serializer):
    """How many published case studies the object has, from the facet index the views put in
    the context (the same counts as the pages'; counting in SQL took 0.4-0.8 s at 100,000)."""

    case_study_count = serializers.SerializerMethodField()

    def get_case_study_count(self, obj) -> int:
        return self.context["case_study_counts"].get(obj.pk, 0)


class PrincipleSerializer(CaseStudyCountMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:principle-detail", lookup_field="slug"
    )
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Principle
        fields = ["url", "web_url", "slug", "title", "statement", "position", "case_study_count"]

    def get_web_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class PrincipleLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Principle
        fields = ["slug", "title"]


class OrganisationSerializer(CaseStudyCountMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="slug"
    )

    class Meta:
        model = Organisation
        fields = ["url", "slug", "name", "kind", "membership", "website", "case_study_count"]


class RoleSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")

    class Meta:
        model = CaseStudyOrganisation
        fields = ["slug", "name", "role"]


class ContactSerializer(serializers.ModelSerializer):
    """A contact; email and phone are empty unless the person agreed to show them to everyone."""

    organisation = serializers.CharField(source="organisation.name", default=None)
    email = serializers.CharField(source="public_email")
    phone = serializers.CharField(source="public_phone")

    class Meta:
        model = Contact
        fields = ["name", "role", "organisation", "email", "phone"]


class CaseStudySerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:casestudy-detail", lookup_field="slug"
    )
    web_url = serializers.SerializerMethodField()
    principles = PrincipleLinkSerializer(many=True, read_only=True)
    organisations = RoleSerializer(source="roles", many=True, read_only=True)
    themes = serializers.SerializerMethodField()
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = CaseStudy
        fields = [
            "url",
            "web_url",
            "slug",
            "title",
            "summary",
            "body",
            "kind",
            "year",
            "programme_status",
            "published_at",
            "updated_at",
            "principles",
            "organisations",
            "themes",
            "contacts",
            "pull_quote",
            "pull_quote_attribution",
        ]

    def get_web_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())

    def get_themes(self, obj) -> list[str]:
        return [theme.name for theme in obj.themes.all()]


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Tells the page cache which query parameters the API reads: its filters, its pages and
    the format; a response to any other parameter is served but not stored."""

    def dispatch(self, request, *args, **kwargs):
        filters = getattr(self, "filterset_class", None)
        named = [*(filters.base_filters if filters else ()), "page", "page_size", "format"]
        pages.reads_only(request, named)
        return super().dispatch(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="Published case studies",
        description="Filter and search exactly as on the case study list page.",
    ),
    retrieve=extend_schema(summary="One published case study"),
)
class CaseStudyViewSet(ReadOnlyViewSet):
    serializer_class = CaseStudySerializer
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseStudyFilter
    pagination_class = Pagination

    def get_queryset(self):
        return CaseStudy.objects.published().for_detail().newest_first()


class CountedViewSet(ReadOnlyViewSet):
    """Puts the published case study counts of `facet` in the serializer context."""

    facet = None

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "case_study_counts": facets.published_counts(self.facet),
        }


@extend_schema_view(
    list=extend_schema(summary="The co-operative principles"),
    retrieve=extend_schema(summary="One principle"),
)
class PrincipleViewSet(CountedViewSet):
    serializer_class = PrincipleSerializer
    lookup_field = "slug"
    pagination_class = Pagination
    facet = "principle"

    def get_queryset(self):
        return Principle.objects.all()


@extend_schema_view(
    list=extend_schema(summary="Organisations with published case studies"),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(CountedViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    pagination_class = Pagination
    facet = "organisation"

    def get_queryset(self):
        """Organisations with a public page: network members, and those taking part in
        published case studies (others are not public).

        Lazy (the schema generator calls this without a database): an EXISTS that stops at
        each organisation's first published case study."""
        return Organisation.objects.public().order_by("name")
