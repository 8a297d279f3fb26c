from django.urls import path

from reporting.views import dashboard, flows, programme, reports

app_name = "reporting"
urlpatterns = [
    path("erfolgsmessung/", dashboard.dashboard, name="dashboard"),
    path("erfolgsmessung/export/<slug:key>.csv", dashboard.export_table, name="export_table"),
    path("erfolgsmessung/faelle/<slug:key>/", dashboard.drilldown_list, name="drilldown"),
    path("erfolgsmessung/berichte/", reports.report_list, name="report_list"),
    path("erfolgsmessung/berichte/erstellen/", reports.report_request, name="report_request"),
    path("erfolgsmessung/berichte/<int:pk>/<str:kind>/", reports.report_download, name="report_download"),
    path("erfolgsmessung/programm/", programme.programme, name="programme"),
    path("erfolgsmessung/programm/<int:year>/bearbeiten/", programme.programme_edit, name="programme_edit"),
    path("erfolgsmessung/datenfluesse/", flows.carrier_flow_report, name="carrier_flows"),
]
