from django.urls import path

from letters import views

app_name = "letters"
urlpatterns = [
    path("termine/<int:pk>/einladung/", views.invitation_create, name="invitation_create"),
    path("anhoerungen/<int:pk>/anhoerungsschreiben/", views.hearing_letter_create, name="hearing_letter_create"),
    path("beauftragungen/<int:pk>/schreiben/", views.referral_letter_create, name="referral_letter_create"),
    path("schreiben/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("schreiben/<int:pk>/status/", views.letter_status, name="letter_status"),
    path("schreiben/<int:pk>/erstellen/", views.letter_request, name="letter_request"),
    path("schreiben/<int:pk>/schreiben.pdf", views.letter_download, name="letter_download"),
    path("kunden/<int:client_pk>/schreiben/", views.client_letters, name="client_letters"),
    path("einladungen/", views.invitations, name="invitations"),
    path("einladungen/drucken/", views.invitations_print, name="invitations_print"),
    path("sammeldrucke/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("sammeldrucke/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("sammeldrucke/<int:pk>/erstellen/", views.batch_request, name="batch_request"),
    path("sammeldrucke/<int:pk>/einladungen.pdf", views.batch_download, name="batch_download"),
    path("briefvorlagen/", views.template_list, name="template_list"),
    path("briefvorlagen/<slug:kind>/bearbeiten/", views.template_edit, name="template_edit"),
    path("briefvorlagen/fassung/<int:pk>/", views.template_version, name="template_version"),
]
