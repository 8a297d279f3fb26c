from cases.views import applications, benefits, cases, client_page, contacts, intake, triage

app_name = "cases"
urlpatterns = [
    *client_page.urlpatterns,
    *intake.urlpatterns,
    *benefits.urlpatterns,
    *cases.urlpatterns,
    *contacts.urlpatterns,
    *applications.urlpatterns,
    *triage.urlpatterns,
]
