from django.urls import path

from skillcity.grants import batch_pay, exports, funds, public, views

app_name = "grants"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("preview/", views.preview, name="preview"),
    path("bulk-pass/", views.bulk_pass, name="bulk_pass"),
    path("pay-batch/", batch_pay.pay_batch, name="pay_batch"),
    path("funds/", funds.funds, name="funds"),
    path("funds/new/", funds.fund_create, name="fund_create"),
    path("funds/<int:pk>/", funds.fund_detail, name="fund_detail"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
    path("notices/", public.notices, name="notices"),
    path("notices/<int:pk>/objection/", public.objection, name="objection"),
    path("bureau/", views.bureau, name="bureau"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("objections/dismiss-spam/", views.objections_dismiss_spam, name="objections_dismiss_spam"),
    path("payments.xlsx", exports.payments_xlsx, name="payments_xlsx"),
]
