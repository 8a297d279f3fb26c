import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jobcenter.models import ContactPoint, StaffProfile

pytestmark = pytest.mark.django_db


def test_start_page_is_german_by_default(fm_client):
    page = fm_client.get(reverse("home"))
    assert page.headers["Content-Language"] == "de"
    assert "Guten Tag" in page.content.decode()
    assert "Abmelden" in page.content.decode()


def test_language_choice_is_kept_in_the_users_profile(fm_client, fallmanager):
    response = fm_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=fallmanager).language == "en"
    page = fm_client.get(reverse("home")).content.decode()
    assert "Good day" in page
    assert "Log out" in page


def test_unknown_language_is_refused_with_a_message(fm_client, fallmanager):
    fm_client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert StaffProfile.objects.get(user=fallmanager).language == "de"


def test_navigation_follows_the_role(client, make_staff, office):
    from jobcenter.roles import Role

    client.force_login(make_staff(Role.EMPFANG, office))
    page = client.get(reverse("home")).content.decode()
    assert reverse("cases:client_list") in page
    assert reverse("admin:index") not in page


def test_switching_office_only_to_ones_own(client, make_staff, office, other_office):
    from jobcenter.roles import Role

    user = make_staff(Role.TEAMLEITUNG, office)
    client.force_login(user)
    client.post(reverse("switch_office"), {"office": other_office.pk})
    assert client.session.get("active_contact_point") is None
    user.staff_profile.contact_points.add(other_office)
    client.post(reverse("switch_office"), {"office": other_office.pk})
    assert client.session["active_contact_point"] == other_office.pk


def test_seed_demo_is_idempotent_and_its_logins_work(client):
    seeded_after = timezone.now()
    call_command("seed_demo", verbosity=0)
    counts = (ContactPoint.objects.count(), StaffProfile.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (ContactPoint.objects.count(), StaffProfile.objects.count()) == counts == (2, 11)
    _assert_the_demo_audit_trail_names_the_demo_data_actor_and_no_staff_member(seeded_after)
    for username in ("fallmanager", "fallmanager2", "admin"):
        response = client.post(reverse("login"), {"username": username, "password": "anlaufstelle-demo"})
        assert response.status_code == 302, username
        client.post(reverse("logout"))
    office1 = ContactPoint.objects.get(staff__user__username="fallmanager")
    office2 = ContactPoint.objects.get(staff__user__username="fallmanager2")
    assert office1 != office2
    assert office1.variant == ContactPoint.Variant.GROSSSTADT
    assert office2.variant == ContactPoint.Variant.LANDKREIS


def _assert_the_demo_audit_trail_names_the_demo_data_actor_and_no_staff_member(seeded_after) -> None:  # type: ignore[no-untyped-def]
    """Every audit event of the seed names the system actor "Demo-Daten", not a staff member (the services the
    seed calls act for a staff member, e.g. fallmanager2)."""
    import pghistory.models

    from cases.models import Case
    from cases.selectors import case_history
    from jobcenter.demo import DEMO_ACTOR

    staff = set(StaffProfile.objects.values_list("user_id", flat=True))
    contexts = list(pghistory.models.Context.objects.values_list("metadata", flat=True))
    assert contexts
    for metadata in contexts:
        assert metadata.get("user") not in staff, metadata
        assert metadata.get("actor") == DEMO_ACTOR, metadata
    seeded = pghistory.models.Events.objects.filter(pgh_created_at__gte=seeded_after)
    assert seeded.exists()
    assert not seeded.filter(pgh_context__isnull=True).exists()
    events = pghistory.models.MiddlewareEvents.objects.filter(pgh_created_at__gte=seeded_after)
    assert {str(event.user) for event in events} == {DEMO_ACTOR}  # the admin's audit list (column "user")
    actor = events[0].user
    assert (actor.is_active, actor.has_usable_password(), actor.is_staff) == (False, False, False)
    case = Case.objects.filter(contact_point__staff__user__username="fallmanager").first()
    assert case is not None
    assert {entry.actor for entry in case_history(case)} == {DEMO_ACTOR}  # the case page's history
