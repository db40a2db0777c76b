from django.urls import path

from skillcity.alliances.views import alliances, members, reports

app_name = "alliances"
R = "<int:pk>/reports/<str:period>/"
urlpatterns = [
    path("", alliances.alliance_list, name="alliance_list"),
    path("new/", alliances.alliance_create, name="alliance_create"),
    path("statistics/", alliances.statistics, name="statistics"),
    path("<int:pk>/", alliances.alliance_detail, name="alliance_detail"),
    path("<int:pk>/edit/", alliances.alliance_edit, name="alliance_edit"),
    path("<int:pk>/file/", alliances.alliance_file, name="alliance_file"),
    path("<int:pk>/accept/", alliances.alliance_accept, name="alliance_accept"),
    path("<int:pk>/return/", alliances.alliance_return, name="alliance_return"),
    path("<int:pk>/dissolve/", alliances.alliance_dissolve, name="alliance_dissolve"),
    path("<int:pk>/annex2.xlsx", alliances.alliance_annex2, name="alliance_annex2"),
    path("<int:pk>/members/add/", members.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/remove/", members.member_remove, name="member_remove"),
    path("<int:pk>/members/<int:member_pk>/lead/", members.member_set_lead, name="member_set_lead"),
    path("<int:pk>/members/<int:member_pk>/annex1/", members.member_annex1, name="member_annex1"),
    path(
        "<int:pk>/members/<int:member_pk>/annex1.xlsx", members.member_annex1_xlsx, name="member_annex1_xlsx"
    ),
    path("<int:pk>/documents/", members.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", members.document_download, name="document_download"),
    path("<int:pk>/reports/", reports.report_create, name="report_create"),
    path(R, reports.report_detail, name="report_detail"),
    path(R + "upload/", reports.report_upload, name="report_upload"),
    path(R + "submit/", reports.report_submit, name="report_submit"),
    path(R + "accept/", reports.report_accept, name="report_accept"),
    path(R + "return/", reports.report_return, name="report_return"),
    path(R + "annex2.xlsx", reports.report_annex2_xlsx, name="report_annex2_xlsx"),
    path(R + "annex3.xlsx", reports.report_annex3_xlsx, name="report_annex3_xlsx"),
]
