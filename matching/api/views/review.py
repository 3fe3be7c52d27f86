"""揭榜挂帅 selection by experts: the pool, panels, reviews and objections (issue 17)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.models import Company, Institution
from accounts.roles import FORM_PANEL, MANAGE_EXPERT, PUBLISH_RESULT, has_perm
from config.api import StrictSerializerMixin, perm_required

from ... import selectors
from ...models import Application, Expert, Objection, Panel, PanelMember, Publicity, Review
from ...services import experts as expert_services
from ...services import panels as panel_services
from ...services import publicity as publicity_services
from ..serializers import NoteRequest, RequiredNoteRequest
from .common import parse_body, respond


class ExpertSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(),
                                                     required=False, allow_null=True)
    conflict_companies = serializers.PrimaryKeyRelatedField(
        queryset=Company.objects.all(), many=True, required=False,
        help_text="Companies you are tied to (employment, shares, consulting, family).")
    disciplines = serializers.ListField(child=serializers.CharField(max_length=60),
                                        max_length=30, required=False)
    keywords = serializers.ListField(child=serializers.CharField(max_length=60),
                                     max_length=30, required=False)

    class Meta:
        model = Expert
        fields = ["id", "name", "institution", "title", "disciplines", "keywords", "bio",
                  "conflicts_declared", "conflict_companies", "status", "created_at"]
        read_only_fields = ["status", "created_at"]


@extend_schema_view(
    list=extend_schema(description="Staff: the expert pool. Anyone else: their own enrolment."),
    create=extend_schema(description="Enrol yourself in the expert pool (评审专家库); "
                                     "staff approve you."),
)
class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """评审专家: the expert pool."""

    queryset = Expert.objects.none()
    serializer_class = ExpertSerializer
    filterset_fields = ["status"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (selectors.experts_visible_to(self.request.user)
                .select_related("user").prefetch_related("conflict_companies")
                .order_by("-created_at", "-pk"))

    def perform_create(self, serializer):
        serializer.instance = expert_services.expert_enrol(by=self.request.user,
                                                           **serializer.validated_data)

    def _act(self, service, request, body):
        expert = self.get_object()
        service(expert=expert, by=request.user, **parse_body(body, request))
        return respond(ExpertSerializer, self.get_queryset().get(pk=expert.pk), request)

    @extend_schema(request=NoteRequest, responses={200: ExpertSerializer},
                   description="Approve an expert (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(MANAGE_EXPERT)])
    def approve(self, request, pk=None):
        return self._act(expert_services.expert_approve, request, NoteRequest)

    @extend_schema(request=RequiredNoteRequest, responses={200: ExpertSerializer},
                   description="Suspend an expert, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(MANAGE_EXPERT)])
    def suspend(self, request, pk=None):
        return self._act(expert_services.expert_suspend, request, RequiredNoteRequest)


class MemberSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.user.full_name", read_only=True)

    class Meta:
        model = PanelMember
        fields = ["id", "expert", "expert_name", "status", "answered_at"]
        read_only_fields = fields


class PanelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)
    size = serializers.IntegerField(required=False, min_value=1, max_value=15)

    class Meta:
        model = Panel
        fields = ["id", "challenge", "purpose", "size", "status", "members", "created_at",
                  "closed_at"]
        read_only_fields = ["purpose", "status", "created_at", "closed_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["challenge"].queryset = selectors.challenges_visible_to(request.user)


class RankingRowSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    researcher_name = serializers.CharField(source="application.researcher.user.full_name")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    reviews = serializers.IntegerField()


class DeclineRequest(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    list=extend_schema(description="Staff: every panel. An expert: the panels they were "
                                   "invited to. A company: its needs' panels."),
    create=extend_schema(description="Form a bounty's selection panel; its members are "
                                     "proposed and invited at once (staff)."),
)
class PanelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """评审专家组: expert panels."""

    queryset = Panel.objects.none()
    serializer_class = PanelSerializer
    filterset_fields = ["status", "challenge"]
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self):
        if self.action == "create":
            return [perm_required(FORM_PANEL)()]
        return super().get_permissions()

    def get_queryset(self):
        return (selectors.panels_visible_to(self.request.user)
                .prefetch_related("members__expert__user").order_by("-created_at", "-pk"))

    def perform_create(self, serializer):
        serializer.instance = panel_services.panel_form(by=self.request.user,
                                                        **serializer.validated_data)

    def _seat(self, panel):
        member = selectors.panel_members_of(self.request.user).filter(panel=panel).first()
        if member is None:
            raise NotFound
        return member

    @extend_schema(request=None, responses={200: PanelSerializer},
                   description="Accept your seat on this panel (the invited expert).")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        panel = self.get_object()
        panel_services.panel_member_accept(member=self._seat(panel), by=request.user)
        return respond(PanelSerializer, self.get_queryset().get(pk=panel.pk), request)

    @extend_schema(request=DeclineRequest, responses={200: PanelSerializer},
                   description="Decline your seat on this panel (the invited expert).")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        panel = self.get_object()
        panel_services.panel_member_decline(member=self._seat(panel), by=request.user,
                                            **parse_body(DeclineRequest, request))
        return respond(PanelSerializer, self.get_queryset().get(pk=panel.pk), request)

    @extend_schema(request=None, responses={200: PanelSerializer},
                   description="Close a panel whose every review is in (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(FORM_PANEL)])
    def close(self, request, pk=None):
        panel = self.get_object()
        panel_services.panel_close(panel=panel, by=request.user)
        return respond(PanelSerializer, self.get_queryset().get(pk=panel.pk), request)

    @extend_schema(responses={200: RankingRowSerializer(many=True)},
                   description="The shortlisted applicants by aggregated expert score: for "
                               "staff, and for the company once the panel has closed.")
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        panel = self.get_object()
        staff = has_perm(request.user, FORM_PANEL)
        company = panel.challenge.company.memberships.filter(user=request.user).exists()
        if not (staff or (company and panel.status == Panel.Status.CLOSED)):
            raise NotFound
        return Response(RankingRowSerializer(selectors.panel_ranking(panel), many=True).data)


class ReviewSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    panel = serializers.IntegerField(write_only=True, help_text="The panel you review for.")
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2), write_only=True,
        help_text="Each rubric criterion's id → your score on its scale.")
    given = serializers.SerializerMethodField(help_text="Your score per criterion.")

    class Meta:
        model = Review
        fields = ["id", "panel", "application", "scores", "given", "total", "comment",
                  "submitted_at"]
        read_only_fields = ["total", "submitted_at"]

    def get_given(self, review) -> dict[str, str]:
        return {str(s.criterion_id): str(s.score) for s in review.scores.all()}


@extend_schema_view(
    list=extend_schema(description="Your own reviews (staff: all); never another expert's."),
    create=extend_schema(description="Score a shortlisted applicant of a panel you sit on; "
                                     "final once given."),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """评审: an expert's scores of an applicant."""

    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (selectors.reviews_visible_to(self.request.user)
                .prefetch_related("scores").order_by("-submitted_at", "-pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        member = get_object_or_404(selectors.panel_members_of(self.request.user),
                                   panel=data.pop("panel"))
        serializer.instance = panel_services.review_submit(member=member, by=self.request.user,
                                                           **data)


class ObjectionSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    publicity = serializers.PrimaryKeyRelatedField(queryset=Publicity.objects.all())

    class Meta:
        model = Objection
        fields = ["id", "publicity", "reasons", "status", "review_note", "created_at",
                  "reviewed_at"]
        read_only_fields = ["status", "review_note", "created_at", "reviewed_at"]


@extend_schema_view(
    list=extend_schema(description="The objections you lodged (staff: all)."),
    create=extend_schema(description="Object to a published selection result (公示), with "
                                     "reasons, while its window is open."),
)
class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """异议: objections to published selection results."""

    queryset = Objection.objects.none()
    serializer_class = ObjectionSerializer
    filterset_fields = ["status"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.objections_visible_to(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        serializer.instance = publicity_services.objection_lodge(by=self.request.user,
                                                                 **serializer.validated_data)

    def _act(self, service, request):
        objection = self.get_object()
        service(objection=objection, by=request.user, **parse_body(RequiredNoteRequest, request))
        return respond(ObjectionSerializer, self.get_queryset().get(pk=objection.pk), request,
                       status.HTTP_200_OK)

    @extend_schema(request=RequiredNoteRequest, responses={200: ObjectionSerializer},
                   description="Uphold an objection, saying how it was resolved (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(PUBLISH_RESULT)])
    def uphold(self, request, pk=None):
        return self._act(publicity_services.objection_uphold, request)

    @extend_schema(request=RequiredNoteRequest, responses={200: ObjectionSerializer},
                   description="Dismiss an objection, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(PUBLISH_RESULT)])
    def dismiss(self, request, pk=None):
        return self._act(publicity_services.objection_dismiss, request)
