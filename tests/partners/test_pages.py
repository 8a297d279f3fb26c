"""Start-page worklists, client-page sections, the tab bar and the demo data of the partners app."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcenter.roles import Module, Role
from partners.models import DisclosureRecord, Partner, Referral, ReferralStatus, Vacancy
from tests.partners.factories import (
    ConsentFactory,
    EmployerFactory,
    OfferFactory,
    PartnerFactory,
    ProposalFactory,
    ReferralFactory,
    VacancyFactory,
    ensure_role_groups,
)

TODAY = timezone.localdate()


def _section(response, key):
    return next(section for section in response.context["sections"] if section["key"] == key)


@pytest.mark.django_db
def test_start_page_lists_referrals_without_feedback_for_14_days(fm_client, office, fallmanager):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office))
    quiet = ReferralFactory(offer=offer, status=ReferralStatus.STARTED, case__case_manager=fallmanager,
                            referred_on=TODAY - timedelta(days=30), status_changed_on=TODAY - timedelta(days=20))
    ReferralFactory(offer=offer, status=ReferralStatus.STARTED, case__case_manager=fallmanager,
                    referred_on=TODAY - timedelta(days=30), last_feedback_on=TODAY - timedelta(days=3))
    ReferralFactory(offer=offer, status=ReferralStatus.COMPLETED, case__case_manager=fallmanager,
                    referred_on=TODAY - timedelta(days=60))
    ReferralFactory(offer=offer, status=ReferralStatus.STARTED, referred_on=TODAY - timedelta(days=30))  # not mine
    section = _section(fm_client.get("/"), "partners_overdue_referrals")
    assert section["total"] == 1 and section["items"][0].url == reverse("partners:referral_detail", args=[quiet.pk])
    assert section["items"][0].badge == "20 Tage"


@pytest.mark.django_db
def test_team_lead_sees_the_whole_office_and_vacancies_without_proposals(tl_client, office):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office))
    ReferralFactory(offer=offer, referred_on=TODAY - timedelta(days=15))
    lonely = VacancyFactory(employer=EmployerFactory(contact_point=office), title="Ohne Vorschlag")
    ProposalFactory(vacancy=VacancyFactory(employer=EmployerFactory(contact_point=office)))
    response = tl_client.get("/")
    assert _section(response, "partners_overdue_referrals")["total"] == 1
    vacancies = _section(response, "partners_vacancies_without_proposals")
    assert [item.title for item in vacancies["items"]] == [lonely.title]
    assert "Stellen ohne Vermittlungsvorschlag" in response.content.decode()


@pytest.mark.django_db
def test_worklists_hide_when_their_module_is_off(tl_client, office):
    office.enabled_modules = [Module.LEISTUNGSBERATUNG]
    office.save()
    response = tl_client.get("/")
    assert _section(response, "partners_vacancies_without_proposals")["hidden"]
    assert _section(response, "partners_overdue_referrals")["hidden"]
    assert "Stellen ohne Vermittlungsvorschlag" not in response.content.decode()


@pytest.mark.django_db
def test_client_page_shows_referrals_proposals_releases_and_disclosures(fm_client, office, open_case):
    referral = ReferralFactory(offer=OfferFactory(partner=PartnerFactory(contact_point=office, name="Caritas"),
                                                  title="Budgettraining"), case=open_case)
    consent = ConsentFactory(client=open_case.client, partner=referral.offer.partner)
    DisclosureRecord.objects.create(client=open_case.client, partner=referral.offer.partner, referral=referral,
                                    consent=consent, disclosed_on=TODAY, basis="consent",
                                    data_categories=["identity"], recorded_by=referral.referred_by)
    ProposalFactory(case=open_case, vacancy=VacancyFactory(employer=EmployerFactory(contact_point=office),
                                                           title="Lagerhelfer/in"))
    page = fm_client.get(reverse("cases:client_detail", args=[open_case.client_id])).content.decode()
    for text in ("Beauftragungen", "Budgettraining", "Vermittlungsvorschläge", "Lagerhelfer/in",
                 "Schweigepflichtentbindungen", "Protokoll der Datenweitergaben", "Name, Geburtsdatum, Anschrift"):
        assert text in page, text
    assert reverse("partners:referral_choose_offer", args=[open_case.pk]) in page


@pytest.mark.django_db
def test_reception_sees_neither_referral_sections_nor_the_referral_tab(client, empfang, office, open_case):
    client.force_login(empfang)
    page = client.get(reverse("cases:client_detail", args=[open_case.client_id])).content.decode()
    assert "Protokoll der Datenweitergaben" not in page
    tabs = client.get(reverse("partners:partner_list")).content.decode()
    assert "Freie Plätze" in tabs and reverse("partners:referral_list") not in tabs


@pytest.mark.django_db(transaction=True)
def test_demo_seeding_covers_every_status_and_is_idempotent():
    from django.core.management import call_command

    ensure_role_groups()
    call_command("seed_demo", verbosity=0)
    counts = (Partner.objects.count(), Referral.objects.count(), Vacancy.objects.count())
    city = Partner.objects.filter(contact_point__name__contains="Leipzig-Mitte")
    assert 38 <= city.count() <= 45
    assert {"Schuldnerberatung der Caritas Leipzig", "Suchtberatung Diakonie Leipzig", "START Zeitarbeit PSA Leipzig",
            "Bildungswerk der Sächsischen Wirtschaft", "ver.di Bezirk Leipzig"} <= set(city.values_list("name", flat=True))
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(Vacancy.objects.values_list("proposals__result", flat=True)) >= {"hired", "rejected", "no_answer", ""}
    assert Vacancy.objects.filter(proposals__isnull=True).exists()
    call_command("seed_demo", verbosity=0)
    assert (Partner.objects.count(), Referral.objects.count(), Vacancy.objects.count()) == counts


@pytest.mark.django_db
def test_every_partners_page_answers_to_its_roles(client, make_staff, office):
    """A smoke test of the role matrix over the list pages."""
    pages = {"partners:partner_list": (Role.EMPFANG, 200), "partners:offer_board": (Role.LEISTUNG, 200),
             "partners:referral_list": (Role.ARBEITSVERMITTLER, 200), "partners:vacancy_list": (Role.FALLMANAGER, 200),
             "partners:partner_import": (Role.ADMINISTRATOR, 200), "partners:vacancy_create": (Role.FALLMANAGER, 403)}
    for url_name, (role, status) in pages.items():
        client.force_login(make_staff(role, office))
        assert client.get(reverse(url_name)).status_code == status, url_name
