"""Employers, vacancies and placement proposals: a hire moves the case to follow-up and fills the vacancy."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, Outcome
from jobcenter.roles import Module
from partners.errors import PartnerError
from partners.models import EmployerContact, PlacementProposal, ProposalResult, Vacancy, VacancyStatus
from partners.services.placement import VacancyData, create_vacancy, propose, record_result
from tests.cases.factories import CaseFactory, ClientFactory
from tests.helpers import assert_other_office_refused
from tests.partners.factories import EmployerFactory, PartnerFactory, ProposalFactory, VacancyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def vacancy(office):
    return VacancyFactory(employer=EmployerFactory(contact_point=office, name="Spedition Elster"),
                          title="Lagerhelfer/in", positions=2)


def _case(office, name="Meyer"):
    return CaseFactory(client=ClientFactory(contact_point=office, last_name=name),
                       opened_on=TODAY - timedelta(days=100))


# --- rules --------------------------------------------------------------------------------------------------
def test_a_hire_moves_the_case_to_follow_up_with_the_first_day_of_work(office, vacancy, vermittler):
    case = _case(office)
    proposal = propose(case=case, vacancy=vacancy, by=vermittler)
    starts = TODAY + timedelta(days=20)
    record_result(proposal=proposal, result=ProposalResult.HIRED, by=vermittler, starts_on=starts)
    case.refresh_from_db()
    assert (case.status, case.outcome, case.integrated_on, case.closed_on) == (
        CaseStatus.FOLLOW_UP, Outcome.EMPLOYMENT, starts, None)
    assert case.is_open and case.follow_up_recorded_by == vermittler
    assert "Lagerhelfer/in" in case.outcome_note and "Spedition Elster" in case.outcome_note
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.OPEN  # one of two positions filled


def test_the_vacancy_is_filled_when_the_last_position_goes(office, vacancy, vermittler):
    first, second, third = (propose(case=_case(office, n), vacancy=vacancy, by=vermittler) for n in "ABC")
    record_result(proposal=first, result=ProposalResult.HIRED, by=vermittler, starts_on=TODAY)
    record_result(proposal=second, result=ProposalResult.HIRED, by=vermittler, starts_on=TODAY)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.filled_on) == (VacancyStatus.FILLED, TODAY)
    with pytest.raises(PartnerError, match="nicht mehr offen"):
        record_result(proposal=third, result=ProposalResult.HIRED, by=vermittler, starts_on=TODAY)
    with pytest.raises(PartnerError, match="nicht mehr offen"):
        propose(case=_case(office, "D"), vacancy=vacancy, by=vermittler)
    first.case.refresh_from_db()
    assert first.case.is_open and first.case.in_follow_up  # a hire never closes the case


def test_results_are_final_except_no_answer(office, vacancy, vermittler):
    proposal = propose(case=_case(office), vacancy=vacancy, by=vermittler)
    record_result(proposal=proposal, result=ProposalResult.NO_ANSWER, by=vermittler)
    record_result(proposal=proposal, result=ProposalResult.REJECTED, by=vermittler, note="Zu wenig Erfahrung")
    with pytest.raises(PartnerError, match="bereits erfasst"):
        record_result(proposal=proposal, result=ProposalResult.HIRED, by=vermittler, starts_on=TODAY)
    proposal.refresh_from_db()
    assert proposal.result == ProposalResult.REJECTED and proposal.note == "Zu wenig Erfahrung"


def test_a_client_is_proposed_once_per_vacancy_and_only_with_an_open_case(office, vacancy, vermittler):
    case = _case(office)
    propose(case=case, vacancy=vacancy, by=vermittler)
    with pytest.raises(PartnerError, match="bereits vorgeschlagen"):
        propose(case=case, vacancy=vacancy, by=vermittler)
    closed = CaseFactory(client=ClientFactory(contact_point=office), status=CaseStatus.CLOSED, outcome=Outcome.MOVED,
                         closed_on=TODAY)
    with pytest.raises(PartnerError, match="abgeschlossen"):
        propose(case=closed, vacancy=vacancy, by=vermittler)
    assert PlacementProposal.objects.count() == 1


def test_vacancies_come_from_active_employers_with_the_module_on(office, vermittler):
    data = VacancyData(title="Verkäufer/in", occupation="Verkauf", hours_per_week=30, location="Leipzig")
    with pytest.raises(PartnerError, match="bei Arbeitgebern"):
        create_vacancy(employer=PartnerFactory(contact_point=office), data=data, by=vermittler)
    employer = EmployerFactory(contact_point=office)
    assert create_vacancy(employer=employer, data=data, by=vermittler).acquired_on == TODAY
    office.enabled_modules = [Module.BEAUFTRAGUNG_DRITTER]
    office.save()
    employer.contact_point.refresh_from_db()
    with pytest.raises(PartnerError, match="nicht freigeschaltet"):
        create_vacancy(employer=employer, data=data, by=vermittler)


# --- pages --------------------------------------------------------------------------------------------------
def test_propose_from_the_vacancy_page_and_record_the_hire(client, vermittler, office, vacancy):
    client.force_login(vermittler)
    case = _case(office, "Köhler")
    url = reverse("partners:vacancy_detail", args=[vacancy.pk])
    search = client.get(url, {"q": "kohler"})
    assert [c.pk for c in search.context["candidates"]] == [case.pk]
    response = client.post(reverse("partners:proposal_create", args=[vacancy.pk]), {"case": case.pk})
    assert response.status_code == 302
    proposal = PlacementProposal.objects.get()
    assert client.get(url, {"q": "kohler"}).context["candidates"] == []  # already proposed
    result_url = reverse("partners:proposal_result", args=[proposal.pk])
    prefix = f"p{proposal.pk}"
    missing = client.post(result_url, {f"{prefix}-result_on": TODAY.isoformat(), f"{prefix}-note": "Vorstellung gut"})
    assert missing.status_code == 400 and "Vorstellung gut" in missing.content.decode()
    no_start = client.post(result_url, {f"{prefix}-result": "hired", f"{prefix}-result_on": TODAY.isoformat()})
    assert no_start.status_code == 400 and "Bitte geben Sie den ersten Arbeitstag an." in no_start.content.decode()
    starts = TODAY + timedelta(days=30)
    done = client.post(result_url, {f"{prefix}-result": "hired", f"{prefix}-result_on": TODAY.isoformat(),
                                    f"{prefix}-starts_on": starts.isoformat()})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.outcome, case.integrated_on, case.status) == (Outcome.EMPLOYMENT, starts, CaseStatus.FOLLOW_UP)


def test_the_team_lead_records_a_vacancy_with_the_form(tl_client, office):
    employer = EmployerFactory(contact_point=office)
    response = tl_client.post(reverse("partners:vacancy_create"), {
        "employer": employer.pk, "title": "Pflegehelfer/in", "occupation": "Altenpflege", "hours_per_week": "35",
        "location": "Leipzig", "positions": "2", "acquired_on": TODAY.isoformat(),
    })
    assert response.status_code == 302 and Vacancy.objects.get().positions == 2
    bad = tl_client.post(reverse("partners:vacancy_create"), {
        "employer": employer.pk, "title": "Koch", "occupation": "Gastronomie", "hours_per_week": "80",
        "location": "Leipzig", "positions": "1", "acquired_on": TODAY.isoformat(),
    })
    assert bad.status_code == 400 and "Koch" in bad.content.decode() and Vacancy.objects.count() == 1


def test_employer_contacts_are_logged_with_the_employer_service(client, vermittler, office):
    client.force_login(vermittler)
    employer = EmployerFactory(contact_point=office)
    url = reverse("partners:employer_contact_create", args=[employer.pk])
    assert client.post(url, {"occurred_on": TODAY.isoformat(), "channel": "phone", "subject": "Bedarf 2004"}).status_code == 302
    assert EmployerContact.objects.get().subject == "Bedarf 2004"
    office.enabled_modules = [Module.VERMITTLUNG]
    office.save()
    assert client.post(url, {"occurred_on": TODAY.isoformat(), "channel": "phone", "subject": "x"}).status_code == 404


def test_vacancy_list_filters_and_needs_constant_queries(client, vermittler, office, other_office,
                                                         django_assert_max_num_queries):
    client.force_login(vermittler)
    without = VacancyFactory(employer=EmployerFactory(contact_point=office), title="Ohne Vorschlag")
    ProposalFactory(vacancy=VacancyFactory(employer=EmployerFactory(contact_point=office), title="Mit Vorschlag"))
    VacancyFactory(employer=EmployerFactory(contact_point=other_office), title="Fremd")
    url = reverse("partners:vacancy_list")
    assert {v.title for v in client.get(url).context["page"].object_list} == {"Ohne Vorschlag", "Mit Vorschlag"}
    assert list(client.get(url, {"without": "on"}).context["page"].object_list) == [without]
    assert [v.title for v in client.get(url, {"q": "spedition"}).context["page"].object_list]
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        ProposalFactory.create_batch(2, vacancy=VacancyFactory(employer=EmployerFactory(contact_point=office)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["page"].object_list) == 25


def test_vacancy_urls_refuse_another_office_and_vanish_without_the_module(client, vermittler, office, other_office):
    client.force_login(vermittler)
    own = ProposalFactory(vacancy=VacancyFactory(employer=EmployerFactory(contact_point=office)))
    foreign = ProposalFactory(vacancy=VacancyFactory(employer=EmployerFactory(contact_point=other_office)))
    for name in ("vacancy_detail", "vacancy_edit"):
        assert_other_office_refused(client, reverse(f"partners:{name}", args=[foreign.vacancy_id]),
                                    own_url=reverse(f"partners:{name}", args=[own.vacancy_id]))
    assert_other_office_refused(client, reverse("partners:vacancy_withdraw", args=[foreign.vacancy_id]))
    assert_other_office_refused(client, reverse("partners:proposal_create", args=[foreign.vacancy_id]))
    assert_other_office_refused(client, reverse("partners:proposal_result", args=[foreign.pk]))
    # a case of another office cannot be proposed for an own vacancy
    response = client.post(reverse("partners:proposal_create", args=[own.vacancy_id]), {"case": foreign.case_id})
    assert response.status_code == 404
    office.enabled_modules = [Module.BEAUFTRAGUNG_DRITTER]
    office.save()
    for url in (reverse("partners:vacancy_list"), reverse("partners:vacancy_detail", args=[own.vacancy_id]),
                reverse("partners:vacancy_create")):
        assert client.get(url).status_code == 404
    assert "Stellen" not in client.get("/").content.decode().split("</nav>")[0]
