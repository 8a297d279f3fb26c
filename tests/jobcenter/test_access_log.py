"""The access log (who looked at which client, why if asked) and how administrators search it."""

import pytest
from django.urls import reverse

from jobcenter.models import AccessRecord
from tests.cases.factories import ClientFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_administrators_filter_the_access_log_by_client_and_kind(client, fm_client, office, fallmanager):
    watched, other = ClientFactory(contact_point=office), ClientFactory(contact_point=office)
    fm_client.get(reverse("cases:client_detail", args=[watched.pk]))
    fm_client.get(reverse("cases:client_detail", args=[other.pk]))
    fm_client.post(reverse("cases:client_auskunft", args=[watched.pk]), {"reason": "Antrag vom 02.12.2026"})
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:jobcenter_accessrecord_changelist")

    by_client = client.get(url, {"q": str(watched.pk)})
    assert by_client.status_code == 200
    assert {r.client_id for r in by_client.context["cl"].result_list} == {watched.pk}

    exports = client.get(url, {"kind__exact": AccessRecord.Kind.EXPORT})
    [export] = exports.context["cl"].result_list
    assert (export.user, export.client_id, export.reason) == (fallmanager, watched.pk, "Antrag vom 02.12.2026")
    assert "Antrag vom 02.12.2026" in exports.content.decode()


def test_the_access_log_is_read_only_and_closed_to_staff(client, fallmanager, office):
    record = AccessRecord.objects.create(user=fallmanager, contact_point=office, client_id=1, what="Kundenseite")
    client.force_login(fallmanager)
    assert client.get(reverse("admin:jobcenter_accessrecord_changelist")).status_code == 302  # to the admin login
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:jobcenter_accessrecord_add")).status_code == 403
    change = client.post(reverse("admin:jobcenter_accessrecord_change", args=[record.pk]), {"what": "geändert"})
    assert change.status_code in (302, 403)
    record.refresh_from_db()
    assert record.what == "Kundenseite"


@pytest.mark.django_db(transaction=True)  # real transactions: inside a test's own, an atomic block leaves no trace
def test_a_page_that_only_reads_writes_its_access_record_in_one_statement(fm_client, office, fallmanager):
    """A read costs one INSERT of its access record and no transaction: the session is not written on every
    request (its expiry slides once a minute), and a lone record is not wrapped in BEGIN and COMMIT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = ClientFactory(contact_point=office)
    url = reverse("cases:client_detail", args=[client.pk])
    assert fm_client.get(url).status_code == 200  # the first request after the login renews the session
    with CaptureQueriesContext(connection) as queries:
        assert fm_client.get(url).status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    writes = [sql for sql in statements if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              or "INSERT INTO" in sql]
    assert [sql for sql in writes if "jobcenter_accessrecord" in sql] == writes[-1:], writes
    assert not [sql for sql in statements if sql.strip().upper() in ("BEGIN", "COMMIT")], statements
    assert AccessRecord.objects.filter(client_id=client.pk).count() == 2
