from cases.views import applications, auskunft, benefits, cases, client_page, contacts, intake, triage

app_name = "cases"
urlpatterns = [
    *client_page.urlpatterns,
    *auskunft.urlpatterns,
    *intake.urlpatterns,
    *benefits.urlpatterns,
    *cases.urlpatterns,
    *contacts.urlpatterns,
    *applications.urlpatterns,
    *triage.urlpatterns,
]
