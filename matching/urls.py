from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.home, name="home"),
    path("needs/", views.needs, name="needs"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/apply/", views.apply, name="apply"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("company/", views.company_dashboard, name="company_dashboard"),
    path("company/needs/new/", views.need_new, name="need_new"),
    path("company/needs/<int:pk>/", views.need_manage, name="need_manage"),
    path("company/needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("company/needs/<int:pk>/submit/", views.need_submit, name="need_submit"),
    path("company/needs/<int:pk>/withdraw/", views.need_withdraw, name="need_withdraw"),
    path("company/applications/<int:pk>/decide/", views.application_decide,
         name="application_decide"),
    path("researcher/", views.researcher_dashboard, name="researcher_dashboard"),
    path("researcher/recommended/", views.recommended, name="recommended"),
    path("researcher/applications/<int:pk>/withdraw/", views.application_withdraw,
         name="application_withdraw"),
    path("placements/", views.placements, name="placements"),
    path("placements/<int:pk>/letter/", views.placement_letter, name="placement_letter"),
    path("placements/<int:pk>/outcome/", views.outcome_report, name="outcome_report"),
    path("placements/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("placements/<int:pk>/agreement/sign/", views.agreement_sign, name="agreement_sign"),
    path("placements/<int:pk>/agreement/end/", views.agreement_end, name="agreement_end"),
    path("placements/<int:pk>/agreement/pdf/", views.agreement_download,
         name="agreement_pdf"),
    path("outcomes/<int:pk>/evidence/", views.outcome_evidence, name="outcome_evidence"),
    path("notifications/", views.notifications, name="notifications"),
    # 揭榜挂帅 selection by experts and publicity (issue 17).
    path("experts/enrol/", views.expert_enrol, name="expert_enrol"),
    path("experts/panels/", views.expert_panels, name="expert_panels"),
    path("experts/seats/<int:pk>/", views.expert_seat, name="expert_seat"),
    path("experts/seats/<int:pk>/answer/", views.expert_answer, name="expert_answer"),
    path("company/needs/<int:pk>/ranking/", views.need_ranking, name="need_ranking"),
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("publicity/<int:pk>/", views.publicity_detail, name="publicity_detail"),
]
