"""REST API v1: sign-up and sign-in, the requester (`me`), companies and their
members, researcher profiles and works, reference lists.

Every write calls the same service as the website and the admin; every
queryset is scoped to the requester, so another tenant's object is a 404.
"""

from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, permissions, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import StrictSerializerMixin

from . import services
from .models import (
    Company,
    CompanyMembership,
    IndustryCluster,
    IndustryPlatform,
    Institution,
    LeadingIndustry,
    ResearcherProfile,
    User,
    Work,
)


def text_list(**kwargs):
    """A list of short strings (keywords, disciplines); NUL characters are refused."""
    return serializers.ListField(child=serializers.CharField(max_length=100), max_length=50,
                                 required=False, **kwargs)


# --- auth ----------------------------------------------------------------------------------

class TokenRequest(StrictSerializerMixin, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False,
                                     max_length=128)


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Exchange an e-mail address and password for an API token (`Authorization:
    Token …`); DELETE revokes the token used. Repeated failures lock the account
    and the address for a while (django-axes, kept in the database, so every
    worker process sees the same count)."""

    permission_classes = [permissions.AllowAny]

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(request=TokenRequest, responses={200: TokenResponse}, auth=[])
    def post(self, request):
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        # A locked account or address: axes refuses inside authenticate(), which
        # answers None and marks the request.
        user = authenticate(request, username=data.validated_data["email"].lower(),
                            password=data.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            raise exceptions.Throttled(detail=_(
                "Too many failed sign-in attempts. Try again later or reset your password."))
        if user is None:
            raise exceptions.AuthenticationFailed(_("The e-mail address or password is wrong."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignupSerializer(StrictSerializerMixin, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)
    full_name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=User._meta.get_field("language").choices,
                                       required=False)

    def validate(self, attrs):
        candidate = User(email=attrs["email"], full_name=attrs["full_name"])
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except Exception as exc:  # django ValidationError: name the field
            raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


class UserSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "phone", "language"]
        read_only_fields = ["id", "email"]


class SignupView(APIView):
    """Create an account. A company is then registered with `POST companies/`, a
    researcher profile with `POST researchers/`."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=SignupSerializer, responses={201: UserSerializer}, auth=[])
    def post(self, request):
        data = SignupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        user = services.user_create(email=fields.pop("email"), password=fields.pop("password"),
                                    **fields)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class PasswordChangeRequest(StrictSerializerMixin, serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False, max_length=128)
    new_password = serializers.CharField(trim_whitespace=False, max_length=128)


class PasswordChangeView(APIView):
    @extend_schema(request=PasswordChangeRequest, responses={204: None})
    def post(self, request):
        data = PasswordChangeRequest(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.check_password(data.validated_data["old_password"]):
            raise serializers.ValidationError(
                {"old_password": [_("Your old password was entered incorrectly.")]})
        form = SetPasswordForm(request.user, {"new_password1": data.validated_data["new_password"],
                                              "new_password2": data.validated_data["new_password"]})
        if not form.is_valid():
            raise serializers.ValidationError({"new_password": form.errors["new_password2"]})
        form.save()
        # Other sessions and tokens were opened with the old password: close them.
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetRequest(StrictSerializerMixin, serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetView(APIView):
    """E-mail a link to set a new password. The answer is the same whether or not
    the address has an account, so the API does not tell who is registered."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=PasswordResetRequest, responses={202: None}, auth=[])
    def post(self, request):
        data = PasswordResetRequest(data=request.data)
        data.is_valid(raise_exception=True)
        form = PasswordResetForm({"email": data.validated_data["email"]})
        if form.is_valid():
            form.save(request=request, use_https=request.is_secure(),
                      email_template_name="registration/password_reset_email.html")
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmRequest(StrictSerializerMixin, serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=64)
    new_password = serializers.CharField(trim_whitespace=False, max_length=128)


class PasswordResetConfirmView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=PasswordResetConfirmRequest, responses={204: None}, auth=[])
    def post(self, request):
        data = PasswordResetConfirmRequest(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            pk = urlsafe_base64_decode(data.validated_data["uid"]).decode()
            user = User.objects.get(pk=int(pk), is_active=True)
        except (ValueError, TypeError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
            user = None
        if user is None or not default_token_generator.check_token(user,
                                                                   data.validated_data["token"]):
            raise serializers.ValidationError(
                {"token": [_("This password reset link is invalid or has expired.")]})
        password = data.validated_data["new_password"]
        form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
        if not form.is_valid():
            raise serializers.ValidationError({"new_password": form.errors["new_password2"]})
        form.save()
        Token.objects.filter(user=user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- me ------------------------------------------------------------------------------------

class MyCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="company.id")
    name = serializers.CharField(source="company.name")
    role = serializers.ChoiceField(choices=CompanyMembership.Role.choices)
    verified = serializers.BooleanField(source="company.is_verified")


class MeSerializer(UserSerializer):
    is_staff = serializers.BooleanField(read_only=True)
    companies = MyCompanySerializer(source="memberships", many=True, read_only=True)
    researcher = serializers.SerializerMethodField()
    unread_notifications = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "is_staff", "companies", "researcher",
                  "unread_notifications"]

    def get_researcher(self, user) -> int | None:
        profile = getattr(user, "researcher", None)
        return profile.pk if profile else None

    def get_unread_notifications(self, user) -> int:
        return user.notifications.filter(read_at__isnull=True).count()


class MeView(generics.RetrieveUpdateAPIView):
    """The requester: their account, the companies they belong to (with their role),
    their researcher profile's id if any, and how many notifications are unread."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return (User.objects.select_related("researcher")
                .prefetch_related(Prefetch("memberships",
                                           CompanyMembership.objects.select_related("company")))
                .get(pk=self.request.user.pk))

    def perform_update(self, serializer):
        user = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(user, name, value)
        user.full_clean()
        user.save(update_fields=list(serializer.validated_data))


class ReviewRequest(StrictSerializerMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text="Required when refusing; shown to the applicant.")


class IsStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff)


def _review(view, request, fn, serializer_class):
    obj = view.get_object()
    data = ReviewRequest(data=request.data)
    data.is_valid(raise_exception=True)
    fn(obj, by=request.user, note=data.validated_data.get("note", ""))
    obj.refresh_from_db()
    return Response(serializer_class(obj, context={"request": request}).data)


# --- companies -----------------------------------------------------------------------------

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


class MemberAddRequest(StrictSerializerMixin, serializers.Serializer):
    email = serializers.EmailField()


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
        companies = Company.objects.all()
        if not self.request.user.is_staff:
            companies = companies.for_member(self.request.user)
        return companies.order_by("name", "pk")

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
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def verify(self, request, pk=None):
        return _review(self, request, lambda c, **kw: services.company_verify(company=c, **kw),
                       CompanySerializer)

    @extend_schema(request=ReviewRequest, responses={200: CompanySerializer},
                   description="Refuse verification for now, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def reject(self, request, pk=None):
        return _review(self, request, lambda c, **kw: services.company_reject(company=c, **kw),
                       CompanySerializer)


@extend_schema_view(
    create=extend_schema(request=MemberAddRequest, responses={201: MembershipSerializer},
                         description="Add a colleague who has an account (the owner only)."),
    destroy=extend_schema(description="Remove a member (the owner only; the owner cannot be "
                                      "removed)."),
)
class MemberViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
                    viewsets.GenericViewSet):
    """The members of one of your companies."""

    queryset = CompanyMembership.objects.none()  # the model, for the schema
    serializer_class = MembershipSerializer
    filterset_fields = ["role"]
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["joined_at"]

    def company(self) -> Company:
        companies = Company.objects.all() if self.request.user.is_staff else \
            Company.objects.for_member(self.request.user)
        return get_object_or_404(companies, pk=self.kwargs["company_pk"])

    def get_queryset(self):
        return (self.company().memberships.select_related("user")
                .order_by("joined_at", "pk"))

    def get_serializer_class(self):
        return MemberAddRequest if self.action == "create" else MembershipSerializer

    def create(self, request, *args, **kwargs):
        company = self.company()
        services.require_member(request.user, company, owner=True)
        data = MemberAddRequest(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(email__iexact=data.validated_data["email"],
                                   is_active=True).first()
        if user is None:
            raise serializers.ValidationError({"email": [_(
                "No account uses this e-mail address; ask your colleague to sign up first.")]})
        membership = services.company_member_add(company=company, user=user, by=request.user)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, membership):
        services.company_member_remove(membership=membership, by=self.request.user)


# --- researchers ---------------------------------------------------------------------------

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
        profiles = ResearcherProfile.objects.select_related("user", "institution")
        if not self.request.user.is_staff:  # staff also see those awaiting verification
            profiles = profiles.filter(verified_at__isnull=False, user__is_active=True)
        return profiles.order_by("pk")

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
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def verify(self, request, pk=None):
        return _review(self, request,
                       lambda p, **kw: services.researcher_verify(profile=p, **kw),
                       ResearcherPublicSerializer)

    @extend_schema(request=ReviewRequest, responses={200: ResearcherPublicSerializer},
                   description="Refuse verification for now, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def reject(self, request, pk=None):
        return _review(self, request,
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


# --- reference lists -----------------------------------------------------------------------

def reference_viewset(model, fields, doc):
    serializer = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {
        "Meta": type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})})
    return type(f"{model.__name__}ViewSet", (viewsets.ReadOnlyModelViewSet,), {
        "__doc__": doc, "queryset": model.objects.order_by(*model._meta.ordering, "pk"),
        "serializer_class": serializer, "permission_classes": [permissions.AllowAny],
        "search_fields": ["name", "name_en"], "filterset_fields": [],
        "ordering_fields": ["name", "id"]})


REFERENCE_FIELDS = ["id", "code", "name", "name_en"]
PlatformViewSet = reference_viewset(IndustryPlatform, REFERENCE_FIELDS,
                                    "The district's industry platforms (链主产业平台).")
ClusterViewSet = reference_viewset(IndustryCluster, [*REFERENCE_FIELDS, "is_core"],
                                   "Provincial industry clusters (产业集群).")
IndustryViewSet = reference_viewset(LeadingIndustry, REFERENCE_FIELDS,
                                    "The five leading industries (车药芯化航).")
InstitutionViewSet = reference_viewset(Institution, ["id", "name", "name_en", "kind"],
                                       "Universities and research institutes.")

