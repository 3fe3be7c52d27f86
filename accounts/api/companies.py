"""Companies and their members."""

from django.shortcuts import get_object_or_404
from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import StrictSerializerMixin, perm_required

from .. import services
from ..models import (
    Company,
    CompanyMembership,
    Invitation,
)
from ..roles import VERIFY_COMPANY
from .common import ReviewRequest, review_action


class CompanySerializer(StrictSerializerMixin, serializers.ModelSerializer):
    verified = serializers.BooleanField(source="is_verified", read_only=True)

    class Meta:
        model = Company
        fields = ["id", "name", "credit_code", "platform", "cluster", "leading_industry", "size",
                  "address", "contact_name", "contact_phone", "contact_email",
                  "founding_institution", "verified", "verified_at", "review_note", "created_at"]
        read_only_fields = ["verified_at", "review_note", "created_at"]


class CompanyUpdateSerializer(CompanySerializer):
    """The name and credit code identify the company staff verified: fixed after
    registration (staff correct them in the admin)."""

    class Meta(CompanySerializer.Meta):
        read_only_fields = [*CompanySerializer.Meta.read_only_fields, "name", "credit_code"]


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = CompanyMembership
        fields = ["id", "user", "email", "name", "role", "joined_at"]
        read_only_fields = fields


class CompanyFilter(df.FilterSet):
    verified = df.BooleanFilter(field_name="verified_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Company
        fields = ["platform", "cluster", "leading_industry", "size", "verified"]


@extend_schema_view(
    create=extend_schema(description="Register a company; you become its owner. It is "
                                     "unverified until district staff verify it."),
    partial_update=extend_schema(request=CompanyUpdateSerializer,
                                 responses={200: CompanySerializer}),
)
class CompanyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The companies you belong to (staff: all). Members update the company's
    details; the owner adds and removes members."""

    queryset = Company.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = CompanySerializer
    filterset_class = CompanyFilter
    search_fields = ["name", "credit_code"]
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user).order_by("name", "pk")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return CompanyUpdateSerializer
        return CompanySerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = services.company_register(
            owner=self.request.user, name=fields.pop("name"),
            credit_code=fields.pop("credit_code"), **fields)

    def perform_update(self, serializer):
        serializer.instance = services.company_update(
            company=serializer.instance, by=self.request.user, **serializer.validated_data)

    @extend_schema(request=ReviewRequest, responses={200: CompanySerializer},
                   description="Verify the company (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(VERIFY_COMPANY)])
    def verify(self, request, pk=None):
        return review_action(self, request, lambda c, **kw: services.company_verify(company=c, **kw),
                       CompanySerializer)

    @extend_schema(request=ReviewRequest, responses={200: CompanySerializer},
                   description="Refuse verification for now, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(VERIFY_COMPANY)])
    def reject(self, request, pk=None):
        return review_action(self, request, lambda c, **kw: services.company_reject(company=c, **kw),
                       CompanySerializer)


@extend_schema_view(
    destroy=extend_schema(description="Remove a member (the owner only; the owner cannot be "
                                      "removed)."),
)
class MemberViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The members of one of your companies. A person becomes one by accepting an
    invitation (see `invitations`)."""

    queryset = CompanyMembership.objects.none()  # the model, for the schema
    serializer_class = MembershipSerializer
    filterset_fields = ["role"]
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["joined_at"]

    def company(self) -> Company:
        return get_object_or_404(Company.objects.visible_to(self.request.user),
                                 pk=self.kwargs["company_pk"])

    def get_queryset(self):
        return (self.company().memberships.select_related("user")
                .order_by("joined_at", "pk"))

    def perform_destroy(self, membership):
        services.company_member_remove(membership=membership, by=self.request.user)


class InvitationSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.full_name", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "company", "company_name", "user", "email", "name", "status",
                  "created_at", "answered_at"]
        read_only_fields = fields


class InvitationRequest(StrictSerializerMixin, serializers.Serializer):
    email = serializers.EmailField(help_text="The e-mail of a colleague who has an account.")


def _answer(view, request, fn):
    invitation = view.get_object()
    fn(invitation=invitation, by=request.user)
    invitation.refresh_from_db()
    return Response(InvitationSerializer(invitation).data)


@extend_schema_view(
    create=extend_schema(request=InvitationRequest, responses={201: InvitationSerializer},
                         description="Invite a colleague who has an account (the owner only); "
                                     "they become a member when they accept."),
)
class CompanyInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The invitations one of your companies has sent."""

    queryset = Invitation.objects.none()  # the model, for the schema
    serializer_class = InvitationSerializer
    filterset_fields = ["status"]
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["created_at"]

    def company(self) -> Company:
        return get_object_or_404(Company.objects.visible_to(self.request.user),
                                 pk=self.kwargs["company_pk"])

    def get_queryset(self):
        return (self.company().invitations.select_related("company", "user")
                .order_by("-created_at", "-pk"))

    def get_serializer_class(self):
        return InvitationRequest if self.action == "create" else InvitationSerializer

    def create(self, request, *args, **kwargs):
        company = self.company()
        services.require_member(request.user, company, owner=True)
        data = InvitationRequest(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_create(company=company, by=request.user,
                                                email=data.validated_data["email"])
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InvitationSerializer},
                   description="Revoke an invitation not answered yet (the owner only).")
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        return _answer(self, request, services.invitation_revoke)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """The invitations you have received: accept one to become a member."""

    queryset = Invitation.objects.none()  # the model, for the schema
    serializer_class = InvitationSerializer
    filterset_fields = ["status"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return (Invitation.objects.for_invitee(self.request.user)
                .select_related("company", "user").order_by("-created_at", "-pk"))

    @extend_schema(request=None, responses={200: InvitationSerializer},
                   description="Accept: you become a member of the company.")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return _answer(self, request, services.invitation_accept)

    @extend_schema(request=None, responses={200: InvitationSerializer},
                   description="Decline the invitation.")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return _answer(self, request, services.invitation_decline)
