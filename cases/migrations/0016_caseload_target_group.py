"""The client's target group kept on the case too (issue 13, ADR 0008): ``Case.client_target_group`` follows
``Client.current_target_group`` (itself kept from the benefits and refreshed nightly) the way ``client_name`` follows
the client's name (``cases/0014``), so a case manager's caseload filtered by target group is counted from their
index (``case_manager_group_idx``) instead of joining every client of the caseload. The two functions of
``cases/0014`` are replaced by versions that also carry the group; the client's trigger fires on a change of the
group as well. Backfill first, then the functions and triggers, then the index.
"""

import importlib

from django.conf import settings
from django.db import migrations, models

BEFORE = importlib.import_module("cases.migrations.0014_caseload_order_assigned_at")

BACKFILL = """
UPDATE cases_case c SET client_target_group = cl.current_target_group
FROM cases_client cl WHERE cl.id = c.client_id AND c.client_target_group IS DISTINCT FROM cl.current_target_group;
"""

TRIGGERS = """
DROP TRIGGER cases_case_kept_columns ON cases_case;
CREATE OR REPLACE FUNCTION cases_case_kept_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT cl.name_search, cl.birth_date, cl.current_target_group
    INTO NEW.client_name, NEW.client_birth_date, NEW.client_target_group
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
    BEFORE INSERT OR UPDATE OF client_id, case_manager_id, opened_on, client_name, client_birth_date, assigned_at,
                               client_target_group
    ON cases_case FOR EACH ROW EXECUTE FUNCTION cases_case_kept_columns();

DROP TRIGGER cases_client_name_to_cases ON cases_client;
CREATE OR REPLACE FUNCTION cases_client_name_to_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_case SET client_name = NEW.name_search, client_birth_date = NEW.birth_date,
                          client_target_group = NEW.current_target_group
    WHERE client_id = NEW.id
      AND (client_name IS DISTINCT FROM NEW.name_search OR client_birth_date IS DISTINCT FROM NEW.birth_date
           OR client_target_group IS DISTINCT FROM NEW.current_target_group);
    RETURN NULL;
END $$;
CREATE TRIGGER cases_client_name_to_cases AFTER UPDATE ON cases_client FOR EACH ROW
    WHEN (OLD.name_search IS DISTINCT FROM NEW.name_search OR OLD.birth_date IS DISTINCT FROM NEW.birth_date
          OR OLD.current_target_group IS DISTINCT FROM NEW.current_target_group)
    EXECUTE FUNCTION cases_client_name_to_cases();

-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER cases_case_kept_columns;
ALTER TABLE cases_client ENABLE ALWAYS TRIGGER cases_client_name_to_cases;
"""

# back to the functions and triggers of cases/0014
RESTORE = BEFORE.DROP_TRIGGERS + BEFORE.TRIGGERS


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0015_appointment_office'),
        ('jobcenter', '0008_stored_blobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='client_target_group',
            field=models.CharField(choices=[('hlu', 'hlu'), ('kombi', 'kombi'), ('alhi', 'alhi'), ('none', 'none')], default='none', editable=False, max_length=10, verbose_name='target group'),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=RESTORE),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['case_manager', 'client_target_group', 'id'], name='case_manager_group_idx'),
        ),
    ]
