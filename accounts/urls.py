from django.contrib.auth import views as auth
from django.urls import path

from . import passwords, privacy_views, views

app_name = "accounts"
urlpatterns = [
    path("signup/company/", views.signup_company, name="signup_company"),
    path("signup/researcher/", views.signup_researcher, name="signup_researcher"),
    path("profile/", views.profile_edit, name="profile"),
    path("profile/works/new/", views.work_edit, name="work_add"),
    path("profile/works/<int:pk>/", views.work_edit, name="work_edit"),
    path("profile/works/<int:pk>/delete/", views.work_delete, name="work_delete"),
    path("company/", views.company_edit, name="company"),
    path("company/switch/", views.company_switch, name="company_switch"),
    path("company/invitations/", views.invitation_create, name="invitation_create"),
    path("company/invitations/<int:pk>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/accept/", views.invitation_answer, {"answer": "accept"},
         name="invitation_accept"),
    path("invitations/<int:pk>/decline/", views.invitation_answer, {"answer": "decline"},
         name="invitation_decline"),
    path("company/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    # PIPL: the texts, asking again after a new version, consents and visibility.
    path("legal/", privacy_views.legal_texts, name="legal_texts"),
    path("consent/", privacy_views.consent_renew, name="consent_renew"),
    path("privacy/", privacy_views.privacy_centre, name="privacy"),
    path("privacy/visibility/", privacy_views.visibility, name="visibility"),
    path("privacy/delete/", privacy_views.deletion_request, name="deletion_request"),
]
# Sign-in, sign-out and passwords: Django's views, with this site's templates; a
# new password is saved through services.password_set (accounts/passwords.py).
auth_urls = [
    path("login/", auth.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password_change/", auth.PasswordChangeView.as_view(
        form_class=passwords.PasswordChangeForm), name="password_change"),
    path("password_change/done/", auth.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password_reset/", auth.PasswordResetView.as_view(
        form_class=passwords.PasswordResetForm), name="password_reset"),
    path("password_reset/done/", auth.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(
        form_class=passwords.SetPasswordForm), name="password_reset_confirm"),
    path("reset/done/", auth.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
