from django.urls import path

from profiling.views import assessments, profilings, sections, social_history

app_name = "profiling"
urlpatterns = [
    # profilings
    path("profiling/fall/<int:case_pk>/", profilings.case_profilings, name="case_profilings"),
    path("profiling/fall/<int:case_pk>/neu/", profilings.profiling_create, name="profiling_create"),
    path("profiling/<int:pk>/", profilings.profiling_detail, name="profiling_detail"),
    path("profiling/<int:pk>/kategorie/", profilings.profiling_confirm, name="profiling_confirm"),
    # start-page worklists in full ("profiling", "sozialanamnese")
    path("profiling/offen/<slug:slug>/", sections.worklist_page, name="worklist"),
    # Sozialanamnese
    path("sozialanamnese/fall/<int:case_pk>/", social_history.social_history_detail, name="social_history"),
    path("sozialanamnese/fall/<int:case_pk>/bearbeiten/", social_history.social_history_edit,
         name="social_history_edit"),
    # Tiefenprofiling / Assessment
    path("assessments/fall/<int:case_pk>/neu/", assessments.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/ergebnis/", assessments.assessment_result, name="assessment_result"),
    path("assessments/<int:pk>/bericht/", assessments.assessment_report, name="assessment_report"),
]
