"""Sign-up, sign-in with a token, passwords."""

from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import StrictSerializerMixin

from .. import privacy, services
from ..models import (
    User,
)
from ..passwords import PasswordResetForm, SetPasswordForm
from ..tokens import token_rotate, tokens_revoke
from ..validators import validate_phone


class TokenRequest(StrictSerializerMixin, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False,
                                     max_length=128)


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Exchange an e-mail address and password for an API token (`Authorization:
    Token …`), valid for API_TOKEN_LIFETIME (a week by default); each sign-in
    issues a new token and ends the previous one. DELETE revokes it. Repeated
    failures lock the account from that address for a while (django-axes, kept
    in the database, so every worker process sees the same count)."""

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
        return Response({"token": token_rotate(user=user).key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignupSerializer(StrictSerializerMixin, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)
    full_name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                  validators=[validate_phone])
    language = serializers.ChoiceField(choices=User._meta.get_field("language").choices,
                                       required=False)
    # Required once staff have published the texts: the versions the person read
    # and accepts (see `legal-texts/`); an older version is refused by name.
    privacy_version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1,
        help_text="The version of the privacy notice in force, which you accept.")
    terms_version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1,
        help_text="The version of the user agreement in force, which you accept.")

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
        versions = {kind: fields.pop(f"{kind}_version") for kind in ("privacy", "terms")
                    if f"{kind}_version" in fields}
        with transaction.atomic():
            user = services.user_create(email=fields.pop("email"),
                                        password=fields.pop("password"), **fields)
            privacy.legal_texts_accept(user=user, by=user, versions=versions,
                                       ip=privacy.client_ip(request))
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
        form.save()  # services.password_set: every token is revoked
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
            form.save(request=request, use_https=request.is_secure())
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
        form.save()  # services.password_set: every token is revoked
        return Response(status=status.HTTP_204_NO_CONTENT)
