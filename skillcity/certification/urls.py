from django.urls import path

from skillcity.certification import views

app_name = "certification"
urlpatterns = [
    path("", views.home, name="home"),
    path("verify/", views.verify, name="verify"),
    path("public-key.pem", views.public_key, name="public_key"),
    path("my/", views.my_certificates, name="my_certificates"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("evaluators/", views.evaluator_list, name="evaluator_list"),
    path("evaluators/file/", views.evaluator_file, name="evaluator_file"),
    path("evaluators/<int:pk>/", views.evaluator_detail, name="evaluator_detail"),
    path("evaluators/<int:pk>/review/", views.evaluator_review, name="evaluator_review"),
    path("evaluators/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/candidates/", views.candidate_add, name="candidate_add"),
    path("sessions/<int:pk>/results-template.xlsx", views.results_template, name="results_template"),
    path("sessions/<int:pk>/results-import/", views.results_import, name="results_import"),
    path("sessions/<int:pk>/issue/", views.certificates_issue, name="certificates_issue"),
    path("candidates/<int:pk>/result/", views.result_record, name="result_record"),
]
