from django.urls import path

from integration_plans.views import documents, editor, home, notices, plans, referrals, tracking

app_name = "integration_plans"
urlpatterns = [
    path("hilfeplaene/", plans.plan_list, name="plan_list"),
    path("hilfeplaene/arbeitsliste/<slug:slug>/", home.worklist, name="worklist"),
    path("hilfeplaene/zur-freigabe/", home.approval_list, name="approval_list"),
    path("faelle/<int:case_pk>/hilfeplan/neu/", plans.plan_create, name="plan_create"),
    path("faelle/<int:case_pk>/anhoerung/fernbleiben/", tracking.hearing_open_no_show, name="hearing_open_no_show"),
    path("hilfeplaene/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("hilfeplaene/<int:pk>/bearbeiten/", editor.plan_edit, name="plan_edit"),
    path("hilfeplaene/<int:pk>/abschliessen/", plans.plan_finalise, name="plan_finalise"),
    path("hilfeplaene/<int:pk>/vorlegen/", plans.plan_submit, name="plan_submit"),
    path("hilfeplaene/<int:pk>/freigeben/", plans.plan_signoff, name="plan_signoff"),
    path("hilfeplaene/<int:pk>/zurueckgeben/", plans.plan_return, name="plan_return"),
    path("hilfeplaene/<int:pk>/unterschrift/", plans.plan_sign, name="plan_sign"),
    path("hilfeplaene/<int:pk>/scan/", plans.plan_scan, name="plan_scan"),
    path("hilfeplaene/<int:pk>/ueberpruefung/", plans.plan_review, name="plan_review"),
    path("hilfeplaene/<int:pk>/fortschreiben/", plans.plan_revise, name="plan_revise"),
    path("hilfeplaene/<int:pk>/verwerfen/", plans.plan_discard, name="plan_discard"),
    path("hilfeplaene/<int:pk>/schritte/<int:step_pk>/status/", plans.step_status, name="step_status"),
    path("hilfeplaene/<int:pk>/leistungen/<int:service_pk>/beauftragen/", referrals.service_refer,
         name="service_refer"),
    path("hilfeplaene/<int:pk>/dokument/", documents.document_status, name="document_status"),
    path("hilfeplaene/<int:pk>/dokument/erstellen/", documents.document_request, name="document_request"),
    path("hilfeplaene/<int:pk>/vereinbarung.pdf", documents.agreement_download, name="agreement_download"),
    path("hilfeplaene/<int:pk>/unterschrieben.pdf", documents.scan_download, name="scan_download"),
    path("gegenleistungen/<int:pk>/pruefung/", tracking.check_create, name="check_create"),
    path("anhoerungen/<int:pk>/", tracking.hearing_detail, name="hearing_detail"),
    path("rechtsfolgenbelehrungen/", notices.notice_list, name="notice_list"),
    path("rechtsfolgenbelehrungen/<int:pk>/", notices.notice_detail, name="notice_detail"),
]
