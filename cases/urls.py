from cases.views import (
    applications,
    auskunft,
    benefits,
    bulk,
    cases,
    client_page,
    contacts,
    handover,
    imports,
    intake,
    triage,
)

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
    *bulk.urlpatterns,
    *handover.urlpatterns,
    *imports.urlpatterns,
]
