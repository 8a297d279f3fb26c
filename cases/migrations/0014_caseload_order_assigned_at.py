"""A case manager's caseload read in the order of the case list, and "Neu zugewiesen" without the audit trail
(issue 13). Three columns on the case, kept by the database (ADR 0008):

- ``client_name``, ``client_birth_date``: the client's name in its sort form (``Client.name_search``) and birth
  date. A BEFORE trigger on the case takes them from the client; a trigger on the client carries a change of name
  or birth date (an edit, the anonymisation) to the client's cases in the same statement.
- ``assigned_at``: when the current case manager got the case. A BEFORE trigger sets it: on insert the opening day;
  when the case manager changes, now() (the time of the reassignment row pghistory writes in the same statement);
  on any other write naming it, again the time of the last reassignment, else the opening day. A write straight
  into the reassignment trail (the benchmark seeds, a restore) recomputes it.

Both triggers are ``ENABLE ALWAYS`` (the seeds run with ``session_replication_role = replica``). The backfill is one
UPDATE before the triggers exist; the indexes are built after it. The opening day counts from midnight UTC, as
``Cast(opened_on, DateTimeField())`` did on Django's UTC connection.
"""

from django.conf import settings
from django.db import migrations, models

OPENED = "(c.opened_on::timestamp AT TIME ZONE 'UTC')"
LAST_REASSIGNMENT = "(SELECT max(r.pgh_created_at) FROM cases_casereassignment r WHERE r.pgh_obj_id = c.id)"

BACKFILL = f"""
UPDATE cases_case c SET client_name = cl.name_search, client_birth_date = cl.birth_date,
                        assigned_at = coalesce({LAST_REASSIGNMENT}, {OPENED})
FROM cases_client cl WHERE cl.id = c.client_id;
"""

TRIGGERS = """
CREATE FUNCTION cases_case_kept_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT cl.name_search, cl.birth_date INTO NEW.client_name, NEW.client_birth_date
    FROM cases_client cl WHERE cl.id = NEW.client_id;
    IF TG_OP = 'INSERT' THEN
        NEW.assigned_at := NEW.opened_on::timestamp AT TIME ZONE 'UTC';
    ELSIF OLD.case_manager_id IS DISTINCT FROM NEW.case_manager_id THEN
        NEW.assigned_at := now();
    ELSE
        NEW.assigned_at := coalesce(
            (SELECT max(r.pgh_created_at) FROM cases_casereassignment r WHERE r.pgh_obj_id = NEW.id),
            NEW.opened_on::timestamp AT TIME ZONE 'UTC');
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cases_case_kept_columns
    BEFORE INSERT OR UPDATE OF client_id, case_manager_id, opened_on, client_name, client_birth_date, assigned_at
    ON cases_case FOR EACH ROW EXECUTE FUNCTION cases_case_kept_columns();

CREATE FUNCTION cases_client_name_to_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_case SET client_name = NEW.name_search, client_birth_date = NEW.birth_date
    WHERE client_id = NEW.id
      AND (client_name IS DISTINCT FROM NEW.name_search OR client_birth_date IS DISTINCT FROM NEW.birth_date);
    RETURN NULL;
END $$;
CREATE TRIGGER cases_client_name_to_cases AFTER UPDATE ON cases_client FOR EACH ROW
    WHEN (OLD.name_search IS DISTINCT FROM NEW.name_search OR OLD.birth_date IS DISTINCT FROM NEW.birth_date)
    EXECUTE FUNCTION cases_client_name_to_cases();

-- the reassignment trail written straight (the benchmark seeds, a restore, a repair): the case's assigned_at is
-- recomputed (set to NULL, the BEFORE trigger takes the trail's latest); pghistory's own rows carry now(), which
-- the case already holds, so the reassignment itself does not write the case twice
CREATE FUNCTION cases_reassignment_to_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE cases_case SET assigned_at = NULL
        WHERE id = NEW.pgh_obj_id AND (assigned_at IS NULL OR assigned_at < NEW.pgh_created_at);
    ELSE
        UPDATE cases_case SET assigned_at = NULL WHERE id = OLD.pgh_obj_id;
        IF TG_OP = 'UPDATE' AND NEW.pgh_obj_id IS DISTINCT FROM OLD.pgh_obj_id THEN
            UPDATE cases_case SET assigned_at = NULL WHERE id = NEW.pgh_obj_id;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_reassignment_to_case
    AFTER INSERT OR DELETE OR UPDATE OF pgh_created_at, pgh_obj_id ON cases_casereassignment
    FOR EACH ROW EXECUTE FUNCTION cases_reassignment_to_case();

-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER cases_case_kept_columns;
ALTER TABLE cases_client ENABLE ALWAYS TRIGGER cases_client_name_to_cases;
ALTER TABLE cases_casereassignment ENABLE ALWAYS TRIGGER cases_reassignment_to_case;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS cases_reassignment_to_case ON cases_casereassignment;
DROP FUNCTION IF EXISTS cases_reassignment_to_case();
DROP TRIGGER IF EXISTS cases_client_name_to_cases ON cases_client;
DROP FUNCTION IF EXISTS cases_client_name_to_cases();
DROP TRIGGER IF EXISTS cases_case_kept_columns ON cases_case;
DROP FUNCTION IF EXISTS cases_case_kept_columns();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_application_queue_indexes'),
        ('jobcenter', '0008_stored_blobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='assigned_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='assigned at'),
        ),
        migrations.AddField(
            model_name='case',
            name='client_birth_date',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="client's birth date"),
        ),
        migrations.AddField(
            model_name='case',
            name='client_name',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='client name (sort form)'),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['case_manager', 'client_name', 'client_birth_date', 'id'], name='case_manager_name_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['case_manager', 'opened_on', 'id'], name='case_manager_opened_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(models.F('case_manager'), models.OrderBy(models.F('last_contact_on'), nulls_first=True), models.F('id'), name='case_manager_contact_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(models.F('case_manager'), models.Case(models.When(status='intake', then=models.Value(0)), models.When(status='profiling', then=models.Value(1)), models.When(status='planning', then=models.Value(2)), models.When(status='implementation', then=models.Value(3)), models.When(status='follow_up', then=models.Value(4)), models.When(status='closed', then=models.Value(5)), default=models.Value(6), output_field=models.IntegerField()), models.F('id'), name='case_manager_status_order_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['case_manager', 'assigned_at'], name='case_manager_assigned_idx'),
        ),
    ]
