"""PIPL in the API: the texts in force, the requester's consents (`me/consents/`) and
deletion requests (`me/deletion-request/`)."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response

from config.api import StrictSerializerMixin

from .. import privacy
from ..models import Consent, DeletionRequest, LegalText, ResearcherProfile

# Named once for the schema (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
LEGAL_TEXT_KIND = LegalText.Kind.choices
CONSENT_KIND = Consent.Kind.choices


class LegalTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalText
        fields = ["id", "kind", "version", "body_zh", "body_en", "published_at"]
        read_only_fields = fields


class LegalTextList(generics.ListAPIView):
    """The privacy notice and user agreement in force. Sign-up (`auth/signup/`) and
    `me/consents/` accept them by naming these versions."""

    permission_classes = [permissions.AllowAny]
    serializer_class = LegalTextSerializer
    pagination_class = None
    queryset = LegalText.objects.none()  # the model, for the schema

    def get_queryset(self):
        return LegalText.objects.current()

    @extend_schema(auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ConsentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="text.version", read_only=True, allow_null=True)

    class Meta:
        model = Consent
        fields = ["id", "kind", "version", "given_at", "ip_address", "withdrawn_at"]
        read_only_fields = fields


class ConsentRequest(StrictSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Consent.Kind.choices)
    action = serializers.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")],
                                     default="give")
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1,
        help_text="For the privacy notice and user agreement: the version you accept "
                  "(see `legal-texts/`).")


class ConsentList(generics.ListAPIView):
    """Your consents, newest first, withdrawn ones included (your history). POST
    gives one — accept the version in force of the privacy notice or user
    agreement, or agree to be shown to companies (researchers) — or withdraws the
    consent to be shown to companies."""

    serializer_class = ConsentSerializer
    queryset = Consent.objects.none()  # the model, for the schema

    def get_queryset(self):
        return Consent.objects.filter(user=self.request.user).select_related("text")

    @extend_schema(request=ConsentRequest, responses={201: ConsentSerializer, 204: None})
    @transaction.atomic
    def post(self, request):
        data = ConsentRequest(data=request.data)
        data.is_valid(raise_exception=True)
        kind, act = data.validated_data["kind"], data.validated_data["action"]
        user = request.user
        if kind != Consent.Kind.VISIBILITY:
            if act == "withdraw":
                raise serializers.ValidationError({"action": [_(
                    "The privacy notice and user agreement cannot be withdrawn one by one; "
                    "ask for your account to be deleted instead.")]})
            if "version" not in data.validated_data:
                raise serializers.ValidationError({"version": [_("Name the version you accept.")]})
            given = privacy.legal_text_accept(user=user, by=user, kind=kind,
                                              version=data.validated_data["version"],
                                              ip=privacy.client_ip(request))
            return Response(ConsentSerializer(given).data, status=status.HTTP_201_CREATED)
        if act == "withdraw":
            privacy.visibility_withdraw(user=user, by=user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if not ResearcherProfile.objects.filter(user=user).exists():
            raise serializers.ValidationError({"kind": [_("Only researchers are shown to companies.")]})
        given = privacy.visibility_give(user=user, by=user, ip=privacy.client_ip(request))
        return Response(ConsentSerializer(given).data, status=status.HTTP_201_CREATED)


class DeletionRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeletionRequest
        fields = ["id", "requested_at", "due_at", "status", "done_at"]
        read_only_fields = fields


class DeletionAsk(StrictSerializerMixin, serializers.Serializer):
    confirm = serializers.BooleanField(
        help_text="true: you understand that your account and personal data will be deleted.")

    def validate_confirm(self, value):
        if not value:
            raise serializers.ValidationError(_("Confirm that you want your account deleted."))
        return value


class DeletionRequestList(generics.ListAPIView):
    """Your requests to delete your account. POST asks for it (`{"confirm": true}`):
    staff delete your personal data within the deadline; verified placements and
    outcomes stay in the statistics without your name."""

    serializer_class = DeletionRequestSerializer
    pagination_class = None
    queryset = DeletionRequest.objects.none()  # the model, for the schema

    def get_queryset(self):
        return DeletionRequest.objects.filter(user=self.request.user).order_by("-requested_at")

    @extend_schema(request=DeletionAsk, responses={201: DeletionRequestSerializer})
    def post(self, request):
        DeletionAsk(data=request.data).is_valid(raise_exception=True)
        asked = privacy.deletion_request_create(user=request.user, by=request.user)
        return Response(DeletionRequestSerializer(asked).data, status=status.HTTP_201_CREATED)
