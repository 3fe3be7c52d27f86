"""Agreements (协议): drafted by the company, signed online by every party."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from config.api import StrictSerializerMixin

from ... import selectors
from ...letters import agreement_pdf
from ...models import Agreement, AgreementSignature, Placement, validate_period
from ...services import agreements as agreement_services
from .common import parse_body, respond


class SignatureSerializer(serializers.ModelSerializer):
    signed_by_name = serializers.CharField(source="signed_by.full_name", read_only=True)

    class Meta:
        model = AgreementSignature
        fields = ["party", "signed_by_name", "signed_at"]
        read_only_fields = fields


class AgreementSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    placement = serializers.PrimaryKeyRelatedField(
        queryset=Placement.objects.none(),
        help_text="A pending or active placement of one of your companies.")
    parties = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    help_text="Who must sign: company, university, researcher.")
    signatures = SignatureSerializer(many=True, read_only=True)
    can_sign_as = serializers.SerializerMethodField(
        help_text="The parties you may still sign for.")

    class Meta:
        model = Agreement
        fields = ["id", "placement", "version", "status", "starts_on", "ends_on", "amount",
                  "service_days_per_month", "ip_terms", "terms", "parties", "signatures",
                  "can_sign_as", "end_reason", "created_at", "signed_at", "ended_at"]
        read_only_fields = ["version", "status", "end_reason", "created_at", "signed_at",
                            "ended_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["placement"].queryset = selectors.placements_visible_to(request.user)

    def validate(self, attrs):
        validate_period(attrs.get("starts_on", getattr(self.instance, "starts_on", None)),
                        attrs.get("ends_on", getattr(self.instance, "ends_on", None)))
        return attrs

    def get_can_sign_as(self, agreement) -> list[str]:
        if not agreement.is_editable:
            return []
        request = self.context["request"]
        if not hasattr(request, "_signer"):
            request._signer = agreement_services.Signer(request.user)
        signed = {s.party for s in agreement.signatures.all()}
        mine = request._signer.parties(agreement.placement)
        return sorted((mine & set(agreement.parties)) - signed)


class AgreementUpdateSerializer(AgreementSerializer):
    class Meta(AgreementSerializer.Meta):
        read_only_fields = [*AgreementSerializer.Meta.read_only_fields, "placement"]


class EndRequest(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RenewRequest(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["starts_on", "ends_on", "amount", "service_days_per_month", "ip_terms",
                  "terms"]
        extra_kwargs = {name: {"required": False} for name in fields}


@extend_schema_view(
    list=extend_schema(description="The agreements of your placements, your companies' and "
                                   "(for a university office) your institution's people."),
    create=extend_schema(description="Draft the agreement of a placement (its company)."),
    partial_update=extend_schema(request=AgreementUpdateSerializer,
                                 description="Change an unsigned agreement; signatures given "
                                             "so far no longer hold."),
)
class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """协议: placements' agreements and their signatures."""

    queryset = Agreement.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = AgreementSerializer
    filterset_fields = ["status", "placement"]
    search_fields = ["placement__company__name", "placement__researcher__user__full_name"]
    ordering_fields = ["created_at", "starts_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (selectors.agreements_visible_to(self.request.user)
                .select_related("placement__company", "placement__researcher__user",
                                "placement__researcher__institution")
                .prefetch_related("signatures__signed_by")
                .order_by("-created_at", "-pk"))

    def get_serializer_class(self):
        return AgreementUpdateSerializer if self.action == "partial_update" \
            else AgreementSerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = agreement_services.agreement_draft(
            placement=fields.pop("placement"), by=self.request.user, **fields)

    def perform_update(self, serializer):
        serializer.instance = agreement_services.agreement_update(
            agreement=serializer.instance, by=self.request.user, **serializer.validated_data)

    def _reload(self, agreement):
        return respond(AgreementSerializer, self.get_queryset().get(pk=agreement.pk), self.request)

    @extend_schema(request=None, responses={200: AgreementSerializer},
                   description="Sign for every party you stand for; the last signature makes "
                               "the agreement bind.")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        agreement = self.get_object()
        agreement_services.agreement_sign(agreement=agreement, by=request.user)
        return self._reload(agreement)

    @extend_schema(request=RenewRequest, responses={201: AgreementSerializer},
                   description="Replace a signed agreement by a new, unsigned version.")
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        new = agreement_services.agreement_renew(agreement=self.get_object(), by=request.user,
                                                 **parse_body(RenewRequest, request))
        return respond(AgreementSerializer, self.get_queryset().get(pk=new.pk), request,
                       status.HTTP_201_CREATED)

    @extend_schema(request=EndRequest, responses={200: AgreementSerializer},
                   description="End an agreement early, or withdraw a draft, saying why.")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        agreement = self.get_object()
        agreement_services.agreement_end(agreement=agreement, by=request.user,
                                         **parse_body(EndRequest, request))
        return self._reload(agreement)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY},
                   description="The agreement as a PDF (a draft is marked as such).")
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        agreement = self.get_object()
        response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="agreement-{agreement.placement_id}-v{agreement.version}.pdf"')
        return response
