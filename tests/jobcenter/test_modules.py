"""A switched-off optional module vanishes from the menu and its URLs answer 404."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from jobcenter import navigation
from jobcenter.decorators import module_required
from jobcenter.roles import Module


@module_required(Module.ARBEITGEBERSERVICE)
def employer_page(request):
    return HttpResponse("Arbeitgeberservice")


urlpatterns = [
    path("test-employer/", employer_page, name="test_employer"),
    path("", include("jobcenter.urls")),
]


@pytest.fixture
def employer_nav_item():
    item = navigation.NavItem(
        key="test-employer", label="Arbeitgeberservice-Test", url_name="test_employer",
        module=Module.ARBEITGEBERSERVICE,
    )
    navigation.register(item)
    yield item
    navigation._REGISTRY.pop(item.key)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db
def test_enabled_module_is_in_the_menu_and_reachable(fm_client, employer_nav_item):
    assert "Arbeitgeberservice-Test" in fm_client.get("/").content.decode()
    assert fm_client.get("/test-employer/").status_code == 200


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db
def test_switched_off_module_vanishes_from_menu_and_answers_404(fm_client, office, employer_nav_item):
    office.enabled_modules = [m for m in office.enabled_modules if m != Module.ARBEITGEBERSERVICE]
    office.save()
    assert "Arbeitgeberservice-Test" not in fm_client.get("/").content.decode()
    assert fm_client.get("/test-employer/").status_code == 404


@pytest.mark.django_db
def test_contact_point_requires_both_agencies_of_the_right_kind(office):
    from django.core.exceptions import ValidationError

    office.welfare_agency = office.employment_agency
    with pytest.raises(ValidationError) as excinfo:
        office.full_clean()
    assert "welfare_agency" in excinfo.value.message_dict
