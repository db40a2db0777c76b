from django.urls import path

from skillcity.training import counter, pages, settling, views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("redeem/", counter.counter_redeem, name="redeem"),  # the counter's form, under its first address
    path("counter/", counter.counter, name="counter"),
    path("counter/redeem/", counter.counter_redeem, name="counter_redeem"),
    path("counter/redemptions/<int:pk>/undo/", counter.counter_undo, name="counter_undo"),
    path("projects/new/", pages.project_create, name="project_create"),
    path("projects/<int:pk>/", pages.project_detail, name="project_detail"),
    path("projects/<int:pk>/classes/", pages.class_create, name="class_create"),
    path("classes/<int:pk>/enrol/", pages.enrol, name="enrol"),
    path("enrolments/<int:pk>/sign-in/", pages.sign_in, name="sign_in"),
    path("enrolments/<int:pk>/complete/", pages.complete, name="complete"),
    path("shortage-catalog/", pages.shortage_catalog, name="shortage_catalog"),
    path("vouchers/", pages.vouchers_use, name="vouchers_use"),
    path("vouchers/issue/", pages.voucher_issue, name="voucher_issue"),
    path("settlements/", settling.settlements, name="settlements"),
    path("settlements/start/", settling.settlement_start, name="settlement_start"),
    path("settlements/pay/", settling.settlements_pay, name="settlements_pay"),
    path("settlements/<int:pk>/", settling.settlement_detail, name="settlement_detail"),
    path("settlements/<int:pk>/progress/", settling.settlement_progress, name="settlement_progress"),
    path("settlements/<int:pk>/approve/", settling.settlement_approve, name="settlement_approve"),
    path("settlements/<int:pk>/statement.xlsx", pages.statement_xlsx, name="statement_xlsx"),
    path("settlements/<int:pk>/statement.pdf", pages.statement_pdf, name="statement_pdf"),
]
