from django.urls import path

from skillcity.training import counter, pages, views

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
    path("settlements/<int:pk>/approve/", pages.settlement_approve, name="settlement_approve"),
    path("settlements/<int:pk>/statement.xlsx", pages.statement_xlsx, name="statement_xlsx"),
    path("settlements/<int:pk>/statement.pdf", pages.statement_pdf, name="statement_pdf"),
]
