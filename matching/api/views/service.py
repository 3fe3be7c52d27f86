"""After the approval (issue 16): service logs, evaluations and subsidy claims.

Each list is what `selectors.*_visible_to` gives: the researcher's own, the
company's placements', a university office's people's, staff by permission.
Every write is a service call that checks who may make it.
"""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import APPROVE_SUBSIDY, GRADE_EVALUATION
from config.api import StrictSerializerMixin, perm_required

from ... import selectors
from ...models import Evaluation, Grade, Placement, ServiceLog, SubsidyClaim
from ...services import evaluations, service_records, subsidies
from ..serializers import NoteRequest, RequiredNoteRequest
from .common import parse_body, respond

# --- service logs ---------------------------------------------------------------------------


# A month as YYYY-MM in ASCII digits, in the years a placement can have (year 0 is no date).
MONTH = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"


class ServiceLogSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    placement = serializers.PrimaryKeyRelatedField(
        queryset=Placement.objects.none(), help_text="Your active placement.")
    photo = serializers.FileField(required=False, allow_null=True,
                                  help_text="A PNG or JPEG, at most 5 MB (multipart/form-data).")

    class Meta:
        model = ServiceLog
        fields = ["id", "placement", "day", "hours", "place", "work", "photo", "status",
                  "query_reason", "decided_at", "created_at"]
        read_only_fields = ["status", "query_reason", "decided_at", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["placement"].queryset = selectors.placements_visible_to(request.user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The file is served by the website's checked download (the viewer's scope).
        request = self.context.get("request")
        url = reverse("matching:service_photo", args=[instance.pk]) if instance.photo else None
        data["photo"] = request.build_absolute_uri(url) if url and request else url
        return data


class QueryRequest(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="What is wrong with this day.")


class ConfirmRequest(StrictSerializerMixin, serializers.Serializer):
    placement = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    month = serializers.RegexField(MONTH, help_text="YYYY-MM, from 2000 to 2099")


class ConfirmedResponse(serializers.Serializer):
    confirmed = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(description="Service days of the placements you see."),
    create=extend_schema(description="Log a day of service (the placed researcher); logging "
                                     "a day again corrects it until it is confirmed."),
)
class ServiceLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    """服务日志: the days a researcher served the company."""

    queryset = ServiceLog.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = ServiceLogSerializer
    filterset_fields = ["placement", "status", "day"]
    ordering_fields = ["day", "created_at"]

    def get_queryset(self):
        return selectors.service_logs_visible_to(self.request.user).order_by("-day", "-pk")

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = service_records.service_log_add(
            by=self.request.user, placement=fields.pop("placement"),
            photo=fields.pop("photo", None) or None, **fields)

    @extend_schema(request=QueryRequest, responses={200: ServiceLogSerializer},
                   description="Question a day, saying why (the placement's company).")
    @action(detail=True, methods=["post"])
    def query(self, request, pk=None):
        log = self.get_object()
        service_records.service_log_query(log=log, by=request.user,
                                          **parse_body(QueryRequest, request))
        return respond(ServiceLogSerializer, self.get_queryset().get(pk=log.pk), request)

    @extend_schema(request=ConfirmRequest, responses={200: ConfirmedResponse},
                   description="Confirm every day of a month not queried (the placement's "
                               "company).")
    @action(detail=False, methods=["post"])
    def confirm(self, request):
        import datetime

        from rest_framework.exceptions import NotFound

        body = parse_body(ConfirmRequest, request)
        placement = selectors.placements_visible_to(request.user).filter(
            pk=body["placement"]).first()
        if placement is None:
            raise NotFound()
        year, month = map(int, body["month"].split("-"))
        n = service_records.service_month_confirm(
            placement=placement, month=datetime.date(year, month, 1), by=request.user)
        return Response({"confirmed": n})


# --- evaluations ----------------------------------------------------------------------------

class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "placement", "agreement", "kind", "year", "period_start", "period_end",
                  "self_report", "company_opinion", "targets_total", "targets_met",
                  "days_required", "days_logged", "days_confirmed", "outcomes_verified",
                  "status", "grade", "grade_note", "graded_at"]
        read_only_fields = fields


class SelfReportRequest(StrictSerializerMixin, serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class OpinionRequest(StrictSerializerMixin, serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    targets_total = serializers.IntegerField(min_value=0, max_value=100, required=False,
                                             allow_null=True)
    targets_met = serializers.IntegerField(min_value=0, max_value=100, required=False,
                                           allow_null=True)


class GradeRequest(StrictSerializerMixin, serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text="Required for 不合格 (fail), which ends the placement.")


@extend_schema_view(list=extend_schema(description="Evaluations of the placements you see."))
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """考核: each year of a placement, reported on by both sides and graded by staff."""

    queryset = Evaluation.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = EvaluationSerializer
    filterset_fields = ["placement", "status", "grade", "kind"]
    ordering_fields = ["period_end", "created_at"]

    def get_queryset(self):
        return selectors.evaluations_visible_to(self.request.user).order_by("-period_end", "-pk")

    def _act(self, fn, request, body):
        evaluation = self.get_object()
        fn(evaluation=evaluation, by=request.user, **parse_body(body, request))
        return respond(EvaluationSerializer, self.get_queryset().get(pk=evaluation.pk), request)

    @extend_schema(request=SelfReportRequest, responses={200: EvaluationSerializer},
                   description="The researcher's self-report of the year.")
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._act(evaluations.evaluation_self_report, request, SelfReportRequest)

    @extend_schema(request=OpinionRequest, responses={200: EvaluationSerializer},
                   description="The company's opinion of the year and the targets met.")
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        return self._act(evaluations.evaluation_company_opinion, request, OpinionRequest)

    @extend_schema(request=GradeRequest, responses={200: EvaluationSerializer},
                   description="Grade the year (staff): 优秀 / 合格 continue, 不合格 ends the "
                               "placement and its agreement with the note as the reason.")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(GRADE_EVALUATION)])
    def grade(self, request, pk=None):
        return self._act(evaluations.evaluation_grade, request, GradeRequest)


# --- subsidy claims -------------------------------------------------------------------------

class SalaryMonth(serializers.Serializer):
    month = serializers.RegexField(MONTH, help_text="YYYY-MM, from 2000 to 2099")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0),
                                      coerce_to_string=True, help_text="Yuan actually paid.")


class SubsidyClaimSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    evaluation = serializers.PrimaryKeyRelatedField(
        queryset=Evaluation.objects.none(), help_text="A graded evaluation of your company's.")
    salaries = SalaryMonth(many=True, help_text="The salary paid in each month of the year.")
    calculation = serializers.SerializerMethodField(
        help_text="The calculation, line by line, in your language.")

    class Meta:
        model = SubsidyClaim
        fields = ["id", "evaluation", "placement", "policy", "salaries", "salary_counted",
                  "amount", "calculation", "status", "review_note", "decided_at", "created_at"]
        read_only_fields = ["placement", "policy", "salary_counted", "amount", "status",
                            "review_note", "decided_at", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["evaluation"].queryset = selectors.evaluations_visible_to(request.user)

    def get_calculation(self, claim) -> list[str]:
        return subsidies.explain(claim.explanation)


@extend_schema_view(
    list=extend_schema(description="Subsidy claims of the placements you see."),
    create=extend_schema(description="File (or file again) the claim of a graded year with "
                                     "the salary paid each month (the placement's company); "
                                     "it is computed by the programme's active policy."),
)
class SubsidyClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    """补贴申领: what a placement may claim for a graded year, and why."""

    queryset = SubsidyClaim.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = SubsidyClaimSerializer
    filterset_fields = ["placement", "status"]
    ordering_fields = ["created_at", "amount"]

    def get_queryset(self):
        return selectors.subsidy_claims_visible_to(self.request.user).order_by("-created_at",
                                                                               "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = subsidies.subsidy_claim_file(
            evaluation=serializer.validated_data["evaluation"], by=request.user,
            salaries=[dict(row) for row in serializer.validated_data["salaries"]])
        return respond(SubsidyClaimSerializer, claim, request, status.HTTP_201_CREATED)

    def _act(self, fn, request, body):
        claim = self.get_object()
        fn(claim=claim, by=request.user, **parse_body(body, request))
        return respond(SubsidyClaimSerializer, self.get_queryset().get(pk=claim.pk), request)

    @extend_schema(request=NoteRequest, responses={200: SubsidyClaimSerializer},
                   description="Approve a pending claim (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(APPROVE_SUBSIDY)])
    def approve(self, request, pk=None):
        return self._act(subsidies.subsidy_claim_approve, request, NoteRequest)

    @extend_schema(request=RequiredNoteRequest, responses={200: SubsidyClaimSerializer},
                   description="Reject a pending claim, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(APPROVE_SUBSIDY)])
    def reject(self, request, pk=None):
        return self._act(subsidies.subsidy_claim_reject, request, RequiredNoteRequest)
