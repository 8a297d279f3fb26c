"""The partner registry and offers: list (filters, search, sort, paging, query counts), forms, rules, scoping."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobcenter.roles import Role
from partners.errors import PartnerError
from partners.models import Offer, Partner, PartnerKind, ReferralStatus
from partners.services.registry import OfferData, PartnerData, create_partner, update_offer, update_partner
from tests.helpers import assert_other_office_refused
from tests.partners.factories import EmployerFactory, OfferFactory, PartnerFactory, ReferralFactory

pytestmark = pytest.mark.django_db
LIST = reverse("partners:partner_list")


def names(response) -> list[str]:
    return [partner.name for partner in response.context["page"].object_list]


# --- list ---------------------------------------------------------------------------------------------------
def test_the_registry_lists_active_partners_of_the_own_office(fm_client, office, other_office):
    PartnerFactory(contact_point=office, name="Suchtberatung Diakonie", kind=PartnerKind.ADDICTION_COUNSELLING)
    PartnerFactory(contact_point=office, name="Alte Beratung", active=False)
    PartnerFactory(contact_point=other_office, name="Fremde Beratung")
    assert names(fm_client.get(LIST)) == ["Suchtberatung Diakonie"]
    assert names(fm_client.get(LIST, {"active": "inactive"})) == ["Alte Beratung"]
    assert names(fm_client.get(LIST, {"active": "all"})) == ["Alte Beratung", "Suchtberatung Diakonie"]


def test_filter_by_area_and_kind_and_search_ignoring_umlauts(fm_client, office):
    PartnerFactory(contact_point=office, name="Bäcker-Innung Leipzig", kind=PartnerKind.GUILD)
    PartnerFactory(contact_point=office, name="IHK zu Leipzig", kind=PartnerKind.CHAMBER)
    PartnerFactory(contact_point=office, name="Schuldnerberatung der Caritas")
    assert names(fm_client.get(LIST, {"group": "labour_market"})) == ["Bäcker-Innung Leipzig", "IHK zu Leipzig"]
    assert names(fm_client.get(LIST, {"kind": "chamber"})) == ["IHK zu Leipzig"]
    assert names(fm_client.get(LIST, {"q": "backer"})) == ["Bäcker-Innung Leipzig"]
    assert names(fm_client.get(LIST, {"q": "BAECKER innung"})) == ["Bäcker-Innung Leipzig"]
    assert names(fm_client.get(LIST, {"kind": "nonsense"})) == ["Bäcker-Innung Leipzig", "IHK zu Leipzig",
                                                                "Schuldnerberatung der Caritas"]


def test_sorting_and_paging_happen_in_the_database(fm_client, office):
    for index in range(30):
        PartnerFactory(contact_point=office, name=f"Partner {index:02d}", city="Borna" if index % 2 else "Leipzig")
    first = fm_client.get(LIST)
    assert names(first)[:2] == ["Partner 00", "Partner 01"] and len(names(first)) == 25
    assert names(fm_client.get(LIST, {"page": "2"})) == [f"Partner {i}" for i in range(25, 30)]
    assert names(fm_client.get(LIST, {"sort": "-name"}))[0] == "Partner 29"
    assert names(fm_client.get(LIST, {"sort": "city"}))[0] == "Partner 01"


def test_the_registry_needs_the_same_queries_for_few_and_many_partners(fm_client, office,
                                                                       django_assert_max_num_queries):
    for index in range(3):
        OfferFactory(partner=PartnerFactory(contact_point=office, name=f"Träger {index}"))
    fm_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        fm_client.get(LIST)
    for index in range(40):
        OfferFactory.create_batch(2, partner=PartnerFactory(contact_point=office, name=f"Weitere {index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = fm_client.get(LIST)
    assert len(response.context["page"].object_list) == 25
    assert {partner.active_offers for partner in response.context["page"].object_list} == {1, 2}


# --- maintaining partners -----------------------------------------------------------------------------------
def _form(**changes):
    return {"name": "Suchtberatung Diakonie", "kind": "addiction_counselling", "city": "Leipzig",
            "postal_code": "04109", "active": "on", **changes}


def test_the_team_lead_adds_a_partner_with_a_contract(tl_client, office):
    response = tl_client.post(reverse("partners:partner_create"), _form(
        contract_agency=office.welfare_agency_id, contract_from="2003-01-01", contract_until="2003-12-31"))
    partner = Partner.objects.get()
    assert response.status_code == 302 and response.url == reverse("partners:partner_detail", args=[partner.pk])
    assert (partner.contact_point, partner.contract_agency, partner.contract_until) == (
        office, office.welfare_agency, date(2003, 12, 31))


def test_partner_form_errors_are_german_and_keep_the_input(tl_client, office, other_office):
    PartnerFactory(contact_point=office, name="Suchtberatung Diakonie")
    duplicate = tl_client.post(reverse("partners:partner_create"), _form(notes="wichtige Notiz"))
    assert duplicate.status_code == 400
    assert "bereits einen Partner namens „Suchtberatung Diakonie“" in duplicate.content.decode()
    assert "wichtige Notiz" in duplicate.content.decode()
    no_start = tl_client.post(reverse("partners:partner_create"), _form(name="Neu", contract_agency=office.employment_agency_id))
    assert "Ein Vertrag braucht ein Anfangsdatum." in no_start.content.decode()
    foreign_agency = tl_client.post(reverse("partners:partner_create"),
                                    _form(name="Neu", contract_agency=other_office.employment_agency_id,
                                          contract_from="2003-01-01"))
    assert foreign_agency.status_code == 400
    bad_zip = tl_client.post(reverse("partners:partner_create"), _form(name="Neu", postal_code="123"))
    assert "genau 5 Ziffern" in bad_zip.content.decode()
    assert Partner.objects.count() == 1


def test_case_managers_and_reception_do_not_maintain_the_registry(fm_client, office):
    partner = PartnerFactory(contact_point=office)
    assert fm_client.get(reverse("partners:partner_create")).status_code == 403
    assert fm_client.post(reverse("partners:partner_edit", args=[partner.pk]), _form()).status_code == 403
    assert fm_client.get(reverse("partners:partner_detail", args=[partner.pk])).status_code == 200


def test_labour_market_partners_have_no_contract_and_no_offers(office, teamleitung):
    with pytest.raises(PartnerError, match="nicht beauftragt"):
        create_partner(office=office, by=teamleitung, data=PartnerData(
            name="IHK", kind=PartnerKind.CHAMBER, contract_agency=office.employment_agency,
            contract_from=date(2003, 1, 1)))
    offering = OfferFactory(partner=PartnerFactory(contact_point=office)).partner
    with pytest.raises(PartnerError, match="hat Angebote"):
        update_partner(partner=offering, by=teamleitung, data=PartnerData(name=offering.name, kind=PartnerKind.GUILD))


def test_the_edit_form_shows_the_partner_and_saves(tl_client, office):
    partner = PartnerFactory(contact_point=office, name="Grone-Schule", kind=PartnerKind.APPLICATION_SUPPORT)
    url = reverse("partners:partner_edit", args=[partner.pk])
    assert "Grone-Schule" in tl_client.get(url).content.decode()
    assert tl_client.post(url, _form(name="Grone-Schule Leipzig", kind="application_support")).status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Grone-Schule Leipzig"


def test_registry_urls_refuse_partners_of_another_office(tl_client, office, other_office):
    own = OfferFactory(partner=PartnerFactory(contact_point=office))
    foreign = OfferFactory(partner=PartnerFactory(contact_point=other_office))
    for name in ("partner_detail", "partner_edit", "offer_create"):
        assert_other_office_refused(tl_client, reverse(f"partners:{name}", args=[foreign.partner_id]),
                                    own_url=reverse(f"partners:{name}", args=[own.partner_id]))
    for name in ("offer_detail", "offer_edit"):
        assert_other_office_refused(tl_client, reverse(f"partners:{name}", args=[foreign.pk]),
                                    own_url=reverse(f"partners:{name}", args=[own.pk]))
    employer = EmployerFactory(contact_point=other_office)
    assert_other_office_refused(tl_client, reverse("partners:employer_contact_create", args=[employer.pk]))


# --- offers -------------------------------------------------------------------------------------------------
def test_the_team_lead_adds_an_offer(tl_client, office):
    partner = PartnerFactory(contact_point=office)
    response = tl_client.post(reverse("partners:offer_create", args=[partner.pk]), {
        "title": "Budgettraining", "category": "debt_counselling", "places": "8", "cost_per_month": "45,50",
        "commissionable_by": ["sozialhilfe"], "valid_from": "2003-01-01", "active": "on",
    })
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert (offer.places, str(offer.cost_per_month), offer.commissionable_by) == (8, "45.50", ["sozialhilfe"])


def test_an_offer_needs_an_agency_and_a_sane_period(tl_client, office):
    partner = PartnerFactory(contact_point=office)
    response = tl_client.post(reverse("partners:offer_create", args=[partner.pk]), {
        "title": "Budgettraining", "category": "debt_counselling", "places": "8", "cost_per_month": "45",
        "valid_from": "2003-06-01", "valid_until": "2003-01-01",
    })
    assert response.status_code == 400 and not Offer.objects.exists()
    assert "Budgettraining" in response.content.decode()


def test_places_cannot_shrink_below_the_places_taken(office, teamleitung):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office), places=3)
    ReferralFactory.create_batch(2, offer=offer, status=ReferralStatus.STARTED)
    data = OfferData(title=offer.title, category=offer.category, places=1, cost_per_month=offer.cost_per_month,
                     commissionable_by=offer.commissionable_by, valid_from=offer.valid_from)
    with pytest.raises(PartnerError, match="2 Plätze sind belegt"):
        update_offer(offer=offer, data=data, by=teamleitung)


def test_the_offer_page_shows_occupancy_and_referrals_only_to_referring_roles(client, make_staff, office):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office), places=4)
    ReferralFactory(offer=offer, status=ReferralStatus.STARTED, case__client__last_name="Sichtbar")
    client.force_login(make_staff(Role.FALLMANAGER, office))
    page = client.get(reverse("partners:offer_detail", args=[offer.pk])).content.decode()
    assert "Sichtbar" in page and "3 frei" in page
    client.force_login(make_staff(Role.EMPFANG, office))
    assert "Sichtbar" not in client.get(reverse("partners:offer_detail", args=[offer.pk])).content.decode()
