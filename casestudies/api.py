"""The read-only open-data API (/api/v1/): case studies, principles and organisations.

Case studies are filtered and searched by the same CaseStudyFilter as the list page. Only
published case studies appear; contacts' email and phone only where they consented.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import pagination, serializers, viewsets

from principles.models import Principle

from .filters import CaseStudyFilter
from .models import CaseStudy, CaseStudyOrganisation, Contact, Organisation


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class PrincipleSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:principle-detail", lookup_field="slug"
    )
    web_url = serializers.SerializerMethodField()
    case_study_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Principle
        fields = ["url", "web_url", "slug", "title", "statement", "position", "case_study_count"]

    def get_web_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class PrincipleLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Principle
        fields = ["slug", "title"]


class OrganisationSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="slug"
    )
    case_study_count = serializers.IntegerField(read_only=True)

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
    """A contact; email and phone are empty unless the person consented to publishing them."""

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


@extend_schema_view(
    list=extend_schema(
        summary="Published case studies",
        description="Filter and search exactly as on the case study list page.",
    ),
    retrieve=extend_schema(summary="One published case study"),
)
class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseStudySerializer
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseStudyFilter
    pagination_class = Pagination

    def get_queryset(self):
        return CaseStudy.objects.published().for_detail().newest_first()


@extend_schema_view(
    list=extend_schema(summary="The co-operative principles"),
    retrieve=extend_schema(summary="One principle"),
)
class PrincipleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PrincipleSerializer
    lookup_field = "slug"
    pagination_class = Pagination

    def get_queryset(self):
        return Principle.objects.with_case_study_counts()


@extend_schema_view(
    list=extend_schema(summary="Organisations with published case studies"),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    pagination_class = Pagination

    def get_queryset(self):
        return Organisation.objects.with_case_study_counts().order_by("name")
