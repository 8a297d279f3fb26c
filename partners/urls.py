from django.urls import path

from partners.views import referrals, registry, vacancies

app_name = "partners"
urlpatterns = [
    # registry
    path("partner/", registry.partner_list, name="partner_list"),
    path("partner/neu/", registry.partner_create, name="partner_create"),
    path("partner/export.csv", registry.partner_export, name="partner_export"),
    path("partner/import/", registry.partner_import, name="partner_import"),
    path("partner/<int:pk>/", registry.partner_detail, name="partner_detail"),
    path("partner/<int:pk>/bearbeiten/", registry.partner_edit, name="partner_edit"),
    path("partner/<int:pk>/angebote/neu/", registry.offer_create, name="offer_create"),
    path("partner/<int:pk>/kontakte/neu/", registry.employer_contact_create, name="employer_contact_create"),
    # offers and the free-places board
    path("angebote/", registry.offer_board, name="offer_board"),
    path("angebote/<int:pk>/", registry.offer_detail, name="offer_detail"),
    path("angebote/<int:pk>/bearbeiten/", registry.offer_edit, name="offer_edit"),
    # referrals, consent, disclosure log
    path("beauftragungen/", referrals.referral_list, name="referral_list"),
    path("beauftragungen/neu/<int:case_pk>/", referrals.referral_choose_offer, name="referral_choose_offer"),
    path("beauftragungen/neu/<int:case_pk>/<int:offer_pk>/", referrals.referral_create, name="referral_create"),
    path("beauftragungen/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("beauftragungen/<int:pk>/status/", referrals.referral_status, name="referral_status"),
    path("beauftragungen/<int:pk>/rueckmeldung/", referrals.referral_feedback, name="referral_feedback"),
    path("einwilligungen/<int:pk>/widerrufen/", referrals.consent_revoke, name="consent_revoke"),
    path("datenweitergaben/<int:client_pk>/", referrals.disclosure_log, name="disclosure_log"),
    # vacancies and placement proposals
    path("stellen/", vacancies.vacancy_list, name="vacancy_list"),
    path("stellen/neu/", vacancies.vacancy_create, name="vacancy_create"),
    path("stellen/<int:pk>/", vacancies.vacancy_detail, name="vacancy_detail"),
    path("stellen/<int:pk>/bearbeiten/", vacancies.vacancy_edit, name="vacancy_edit"),
    path("stellen/<int:pk>/zurueckziehen/", vacancies.vacancy_withdraw, name="vacancy_withdraw"),
    path("stellen/<int:pk>/vorschlagen/", vacancies.proposal_create, name="proposal_create"),
    path("vorschlaege/<int:pk>/ergebnis/", vacancies.proposal_result, name="proposal_result"),
]
