"""Researcher profiles and their works."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import StrictSerializerMixin, perm_required

from .. import services
from ..models import (
    ResearcherProfile,
    User,
    Work,
)
from ..roles import VERIFY_RESEARCHER
from .common import ReviewRequest, review_action, text_list


class ResearcherPublicSerializer(serializers.ModelSerializer):
    """What any signed-in user may see of a verified researcher: no contact details."""

    name = serializers.CharField(source="user.full_name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)

    class Meta:
        model = ResearcherProfile
        fields = ["id", "name", "institution", "institution_name", "department", "title",
                  "degree", "disciplines", "keywords", "bio", "languages", "verified"]
        read_only_fields = fields


class ResearcherProfileSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """The researcher's own profile, as they edit it."""

    name = serializers.CharField(source="user.full_name", read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    disciplines = text_list()
    keywords = text_list()
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=User._meta.get_field("language").choices),
        max_length=5, required=False)

    class Meta:
        model = ResearcherProfile
        fields = ["id", "name", "institution", "department", "title", "degree", "disciplines",
                  "keywords", "bio", "languages", "capacity", "verified", "verified_at",
                  "review_note", "created_at", "updated_at"]
        read_only_fields = ["verified_at", "review_note", "created_at", "updated_at"]


class ResearcherProfileUpdateSerializer(ResearcherProfileSerializer):
    """Moving to another institution is checked by staff (conflicts of interest)."""

    class Meta(ResearcherProfileSerializer.Meta):
        read_only_fields = [*ResearcherProfileSerializer.Meta.read_only_fields, "institution"]


class ResearcherFilter(df.FilterSet):
    class Meta:
        model = ResearcherProfile
        fields = ["institution", "title", "degree"]


def own_profile(user) -> ResearcherProfile:
    profile = ResearcherProfile.objects.select_related("user", "institution").filter(
        user=user).first()
    if profile is None:
        raise exceptions.NotFound(_("You have no researcher profile yet."))
    return profile


@extend_schema_view(
    create=extend_schema(request=ResearcherProfileSerializer,
                         responses={201: ResearcherProfileSerializer},
                         description="Create your researcher profile."),
)
class ResearcherViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Verified researchers' public profiles; your own profile under `me/`."""

    queryset = ResearcherProfile.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = ResearcherPublicSerializer
    filterset_class = ResearcherFilter
    search_fields = ["user__full_name", "department", "keywords", "disciplines"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return (ResearcherProfile.objects.visible_to(self.request.user)
                .select_related("user", "institution").order_by("pk"))

    def get_serializer_class(self):
        if self.action == "create":
            return ResearcherProfileSerializer
        return ResearcherPublicSerializer

    def create(self, request, *args, **kwargs):
        data = ResearcherProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        profile = services.researcher_register(user=request.user,
                                               institution=fields.pop("institution"),
                                               title=fields.pop("title"), **fields)
        return Response(ResearcherProfileSerializer(profile).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewRequest, responses={200: ResearcherPublicSerializer},
                   description="Verify the researcher (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(VERIFY_RESEARCHER)])
    def verify(self, request, pk=None):
        return review_action(self, request,
                       lambda p, **kw: services.researcher_verify(profile=p, **kw),
                       ResearcherPublicSerializer)

    @extend_schema(request=ReviewRequest, responses={200: ResearcherPublicSerializer},
                   description="Refuse verification for now, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(VERIFY_RESEARCHER)])
    def reject(self, request, pk=None):
        return review_action(self, request,
                       lambda p, **kw: services.researcher_reject(profile=p, **kw),
                       ResearcherPublicSerializer)

    @extend_schema(methods=["GET"], responses={200: ResearcherProfileSerializer})
    @extend_schema(methods=["PATCH"], request=ResearcherProfileUpdateSerializer,
                   responses={200: ResearcherProfileSerializer})
    @action(detail=False, methods=["get", "patch"], filterset_class=None, search_fields=[],
            ordering_fields=[], pagination_class=None)
    def me(self, request):
        profile = own_profile(request.user)
        if request.method == "PATCH":
            data = ResearcherProfileUpdateSerializer(profile, data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            profile = services.researcher_update(profile=profile, by=request.user,
                                                 **data.validated_data)
        return Response(ResearcherProfileSerializer(profile).data)


class WorkSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    keywords = text_list()

    class Meta:
        model = Work
        fields = ["id", "kind", "title", "abstract", "keywords", "year", "identifier", "source",
                  "representative", "updated_at"]
        read_only_fields = ["updated_at"]


class WorkViewSet(viewsets.ModelViewSet):
    """Your works (papers, patents, projects); mark those that represent your current
    work. Every change rescores your matches."""

    queryset = Work.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = WorkSerializer
    filterset_fields = ["kind", "representative", "year"]
    search_fields = ["title", "abstract", "keywords"]
    ordering_fields = ["year", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Work.objects.filter(researcher__user=self.request.user).order_by(
            "-representative", "-year", "pk")

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = services.work_add(profile=own_profile(self.request.user),
                                                by=self.request.user,
                                                title=fields.pop("title"), **fields)

    def perform_update(self, serializer):
        serializer.instance = services.work_update(work=serializer.instance, by=self.request.user,
                                                   **serializer.validated_data)

    def perform_destroy(self, instance):
        services.work_remove(work=instance, by=self.request.user)
