from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.common import text_list
from accounts.api.researchers import ResearcherPublicSerializer
from accounts.models import Company, Institution
from accounts.validators import validate_period_date
from config.api import DateField, StrictSerializerMixin

from ..models import (
    Application,
    Challenge,
    Cohort,
    CohortMark,
    CohortPreference,
    CohortRun,
    FundingProgramme,
    MatchScore,
    Notification,
    Outcome,
    Placement,
    validate_period,
)
from ..selectors import Viewer

# A confidential need shows these only to staff, its company and verified researchers.
CONFIDENTIAL = ["background", "goals", "indicators", "required_expertise",
                "preferred_disciplines", "preferred_institutions", "ip_terms"]
# The company's own business with the district: not for other viewers.
INTERNAL = ["review_note", "reviewed_at", "withdraw_reason"]


def viewer_of(context) -> Viewer:
    request = context["request"]
    if not hasattr(request, "_viewer"):
        request._viewer = Viewer(request.user)
    return request._viewer


class ChallengeSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    company = serializers.PrimaryKeyRelatedField(queryset=Company.objects.none(), required=False,
                                                 help_text="Needed when you belong to more "
                                                           "than one company.")
    company_name = serializers.CharField(source="company.name", read_only=True)
    industry_name = serializers.SerializerMethodField()
    required_expertise = text_list()
    preferred_disciplines = text_list()
    preferred_institutions = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), many=True, required=False)
    details_hidden = serializers.SerializerMethodField(
        help_text="True when this confidential need's full text is not shown to you: sign in "
                  "as a verified researcher to read it.")

    class Meta:
        model = Challenge
        fields = ["id", "company", "company_name", "programme", "cohort", "title", "background",
                  "goals", "indicators", "required_expertise", "industry", "industry_name",
                  "reward", "deadline", "headcount", "preferred_institutions",
                  "preferred_disciplines", "ip_terms", "confidentiality", "status",
                  "review_note", "reviewed_at", "withdraw_reason", "created_at", "updated_at",
                  "published_at", "details_hidden"]
        read_only_fields = ["status", "review_note", "reviewed_at", "withdraw_reason",
                            "created_at", "updated_at", "published_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["company"].queryset = Company.objects.for_member(request.user)

    def get_industry_name(self, challenge) -> str:
        # Not a CharField with a default: DRF drops defaulted fields from partial updates'
        # answers, and the schema promises this one always.
        return challenge.industry.name if challenge.industry else ""

    @extend_schema_field(serializers.BooleanField())
    def get_details_hidden(self, challenge) -> bool:
        return not viewer_of(self.context).sees_details(challenge)

    def to_representation(self, challenge):
        data = super().to_representation(challenge)
        viewer = viewer_of(self.context)
        if not viewer.sees_details(challenge):
            for name in CONFIDENTIAL:
                data[name] = [] if isinstance(data[name], list) else ""
        if not viewer.owns(challenge):
            for name in INTERNAL:
                data[name] = None if name == "reviewed_at" else ""
        return data

    def validate(self, attrs):
        if self.instance is None and "company" not in attrs:
            companies = list(self.fields["company"].queryset[:2])
            if len(companies) != 1:
                raise serializers.ValidationError(
                    {"company": [_("Say which of your companies posts this need.") if companies
                                 else _("Register a company before posting needs.")]})
            attrs["company"] = companies[0]
        return attrs


class ChallengeUpdateSerializer(ChallengeSerializer):
    class Meta(ChallengeSerializer.Meta):
        read_only_fields = [*ChallengeSerializer.Meta.read_only_fields, "company"]


class ReasonRequest(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text="Required once researchers have applied; "
                                             "staff see it.")


class NoteRequest(StrictSerializerMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RequiredNoteRequest(StrictSerializerMixin, serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="Shown to those concerned.")


class RequiredReasonRequest(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Shown to staff.")


class MessageRequest(StrictSerializerMixin, serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PeriodMixin:
    """An end date before the start is refused on `ends_on`."""

    def validate(self, attrs):
        validate_period(attrs.get("starts_on"), attrs.get("ends_on"))
        return super().validate(attrs)


class AcceptRequest(PeriodMixin, MessageRequest):
    starts_on = DateField(required=False, help_text="Default: today.",
                          validators=[validate_period_date])
    ends_on = DateField(required=False, help_text="Default: a year after the start.",
                        validators=[validate_period_date])


class ApplicationSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    challenge = serializers.PrimaryKeyRelatedField(
        queryset=Challenge.objects.published(),
        help_text="A published need; you apply as yourself.")
    challenge_title = serializers.CharField(source="challenge.title", read_only=True)
    researcher_name = serializers.CharField(source="researcher.user.full_name", read_only=True)
    institution_name = serializers.CharField(source="researcher.institution.name", read_only=True)
    score = serializers.FloatField(read_only=True, allow_null=True,
                                   help_text="The researcher's match score for the need.")
    close_reason = serializers.ChoiceField(
        choices=Application.CloseReason.choices, allow_blank=True, read_only=True,
        help_text="Why a closed application was closed; empty otherwise.")

    class Meta:
        model = Application
        fields = ["id", "challenge", "challenge_title", "researcher", "researcher_name",
                  "institution_name", "proposal", "team", "budget", "timeline", "status",
                  "decision_message", "close_reason", "decided_at", "created_at", "score"]
        read_only_fields = ["researcher", "status", "decision_message", "close_reason",
                            "decided_at", "created_at"]


class PlacementSerializer(PeriodMixin, StrictSerializerMixin, serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    has_letter = serializers.BooleanField(
        read_only=True, help_text="An approved tech-VP placement: its letter is at letter/.")
    researcher_name = serializers.CharField(source="researcher.user.full_name", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "programme", "company", "company_name", "researcher", "researcher_name",
                  "challenge", "application", "cohort", "post", "starts_on", "ends_on", "status",
                  "review_note", "approved_at", "created_at", "has_letter"]
        read_only_fields = ["challenge", "application", "status", "review_note", "approved_at",
                            "created_at"]


class OutcomeSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    placement = serializers.PrimaryKeyRelatedField(
        queryset=Placement.objects.none(),
        help_text="An active or completed placement of yours or of your company.")
    evidence = serializers.FileField(write_only=True, required=False,
                                     help_text="PDF, PNG or JPEG, at most 10 MB.")
    has_evidence = serializers.SerializerMethodField()
    funded_under = serializers.PrimaryKeyRelatedField(
        queryset=FundingProgramme.objects.all(), required=False, allow_null=True,
        help_text="The programme that funds a funded project (see funding-programmes/).")

    class Meta:
        model = Outcome
        fields = ["id", "placement", "kind", "title", "identifier", "patent_status",
                  "applied_on", "granted_on", "funding_programme", "funded_under",
                  "registration_number", "registration_office", "contract_type",
                  "contract_parties", "amount", "achieved_on", "evidence", "has_evidence",
                  "status", "dispute_reason", "confirmed_at", "review_note", "created_at",
                  "verified_at"]
        read_only_fields = ["status", "dispute_reason", "confirmed_at", "review_note",
                            "created_at", "verified_at"]
        extra_kwargs = {"identifier": {"help_text": (
            "Patent application number (e.g. 202310123456.6, checked by its check "
            "character), contract number or project number.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            from ..selectors import placements_visible_to

            self.fields["placement"].queryset = placements_visible_to(request.user).filter(
                status__in=Placement.REPORTING)

    def get_has_evidence(self, outcome) -> bool:
        return bool(outcome.evidence)


class CohortSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "number", "name", "year", "starts_on", "ends_on", "allow_two_companies",
                  "preferences_open_until", "min_score", "fairness", "institution_quota",
                  "cluster_quota"]

    def validate(self, attrs):
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        validate_period(starts, ends)
        return attrs


class CohortRunSerializer(serializers.ModelSerializer):
    step_display = serializers.CharField(
        source="get_step_display", read_only=True,
        help_text="Where the job is, in the requested language.")

    class Meta:
        model = CohortRun
        fields = ["id", "cohort", "status", "step", "step_display", "total_affinity", "error",
                  "created_at", "finished_at", "deployed_at"]
        read_only_fields = fields


class _MatchSerializer(serializers.ModelSerializer):
    reasons = serializers.SerializerMethodField(help_text="Why, in the requested language.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, score) -> list[str]:
        return self.context["reasons"].get(score.pk, [])


class MatchSerializer(_MatchSerializer):
    """A researcher who fits the company's need."""

    researcher = ResearcherPublicSerializer(read_only=True)
    applied = serializers.SerializerMethodField()

    class Meta:
        model = MatchScore
        fields = ["researcher", "score", "components", "reasons", "applied"]
        read_only_fields = fields

    def get_applied(self, score) -> bool:
        return score.applied


class ChallengeSummarySerializer(serializers.ModelSerializer):
    """What the public sees of any need; the full text is at `challenges/{id}/`."""

    get_industry_name = ChallengeSerializer.get_industry_name

    company_name = serializers.CharField(source="company.name", read_only=True)
    industry_name = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = ["id", "company", "company_name", "programme", "cohort", "title", "industry",
                  "industry_name", "reward", "deadline", "headcount", "confidentiality",
                  "status", "published_at"]
        read_only_fields = fields


class RecommendationSerializer(_MatchSerializer):
    """An open need that fits the researcher."""

    challenge = ChallengeSummarySerializer(read_only=True)

    class Meta:
        model = MatchScore
        fields = ["challenge", "score", "components", "reasons"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class CohortPreferenceSerializer(serializers.ModelSerializer):
    challenge = serializers.IntegerField(source="need.challenge_id", read_only=True)
    title = serializers.CharField(source="need.challenge.title", read_only=True)
    company = serializers.CharField(source="need.challenge.company.name", read_only=True)

    class Meta:
        model = CohortPreference
        fields = ["rank", "need", "challenge", "title", "company"]
        read_only_fields = fields


class CohortPreferencesRequest(StrictSerializerMixin, serializers.Serializer):
    needs = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=5,
                                  allow_empty=True,
                                  help_text="Cohort need ids, best first (at most five).")


class CohortMarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = CohortMark
        fields = ["id", "need", "researcher", "wanted"]
        read_only_fields = fields


class CohortMarkRequest(StrictSerializerMixin, serializers.Serializer):
    need = serializers.IntegerField(min_value=1, help_text="One of your cohort needs.")
    researcher = serializers.IntegerField(min_value=1,
                                          help_text="The cohort researcher entry's id.")
    wanted = serializers.BooleanField(allow_null=True,
                                      help_text="true: wanted; false: not wanted; "
                                                "null: take the mark back.")
