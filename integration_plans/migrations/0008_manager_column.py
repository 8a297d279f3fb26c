"""The case manager on the plan (issue 13): ``IntegrationPlan.manager`` (and ``Obligation.manager``,
``Hearing.manager``), the case's case manager kept on the row, so that a case manager's worklists (reviews due,
agreements expiring, checks due, open hearings) read an index of their own rows in the worklist's order instead of
walking the office's rows and joining each with its case to find the manager's.

As with the office column (0007), the database keeps it right whatever writes the row: the BEFORE INSERT/UPDATE
triggers of 0007 now take both columns from the case, and a trigger on ``cases_case`` carries a reassignment (one
case, the Teamleitung's bulk reassignment, the admin) to the case's plans, obligations and hearings in the same
statement. Not in the history (it is the case's, which has its own). Backfill first, then the triggers, then the
indexes; with them the office's signing index (the monthly report's agreements signed, and its drill-down).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
UPDATE integration_plans_integrationplan p SET manager_id = c.case_manager_id
FROM cases_case c WHERE c.id = p.case_id AND p.manager_id IS DISTINCT FROM c.case_manager_id;
UPDATE integration_plans_obligation o SET manager_id = p.manager_id
FROM integration_plans_integrationplan p WHERE p.id = o.plan_id AND o.manager_id IS DISTINCT FROM p.manager_id;
UPDATE integration_plans_hearing h SET manager_id = c.case_manager_id
FROM cases_case c WHERE c.id = h.case_id AND h.manager_id IS DISTINCT FROM c.case_manager_id;
"""

# The row triggers of 0007, now filling both columns (and firing when either is written).
TRIGGERS = """
CREATE OR REPLACE FUNCTION integration_plans_plan_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT contact_point_id, case_manager_id INTO NEW.office_id, NEW.manager_id
    FROM cases_case WHERE id = NEW.case_id;
    RETURN NEW;
END $$;
DROP TRIGGER integration_plans_plan_office ON integration_plans_integrationplan;
CREATE TRIGGER integration_plans_plan_office BEFORE INSERT OR UPDATE OF case_id, office_id, manager_id
    ON integration_plans_integrationplan FOR EACH ROW EXECUTE FUNCTION integration_plans_plan_office();

CREATE OR REPLACE FUNCTION integration_plans_obligation_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.contact_point_id, c.case_manager_id INTO NEW.office_id, NEW.manager_id
    FROM integration_plans_integrationplan p JOIN cases_case c ON c.id = p.case_id WHERE p.id = NEW.plan_id;
    RETURN NEW;
END $$;
DROP TRIGGER integration_plans_obligation_office ON integration_plans_obligation;
CREATE TRIGGER integration_plans_obligation_office BEFORE INSERT OR UPDATE OF plan_id, office_id, manager_id
    ON integration_plans_obligation FOR EACH ROW EXECUTE FUNCTION integration_plans_obligation_office();

CREATE OR REPLACE FUNCTION integration_plans_hearing_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT contact_point_id, case_manager_id INTO NEW.office_id, NEW.manager_id
    FROM cases_case WHERE id = NEW.case_id;
    RETURN NEW;
END $$;
DROP TRIGGER integration_plans_hearing_office ON integration_plans_hearing;
CREATE TRIGGER integration_plans_hearing_office BEFORE INSERT OR UPDATE OF case_id, office_id, manager_id
    ON integration_plans_hearing FOR EACH ROW EXECUTE FUNCTION integration_plans_hearing_office();

CREATE FUNCTION integration_plans_case_reassigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE integration_plans_integrationplan SET manager_id = NEW.case_manager_id
    WHERE case_id = NEW.id AND manager_id IS DISTINCT FROM NEW.case_manager_id;
    UPDATE integration_plans_obligation SET manager_id = NEW.case_manager_id
    WHERE plan_id IN (SELECT id FROM integration_plans_integrationplan WHERE case_id = NEW.id)
      AND manager_id IS DISTINCT FROM NEW.case_manager_id;
    UPDATE integration_plans_hearing SET manager_id = NEW.case_manager_id
    WHERE case_id = NEW.id AND manager_id IS DISTINCT FROM NEW.case_manager_id;
    RETURN NULL;
END $$;
CREATE TRIGGER integration_plans_case_reassigned AFTER UPDATE OF case_manager_id ON cases_case FOR EACH ROW
    WHEN (OLD.case_manager_id IS DISTINCT FROM NEW.case_manager_id)
    EXECUTE FUNCTION integration_plans_case_reassigned();
-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE integration_plans_integrationplan ENABLE ALWAYS TRIGGER integration_plans_plan_office;
ALTER TABLE integration_plans_obligation ENABLE ALWAYS TRIGGER integration_plans_obligation_office;
ALTER TABLE integration_plans_hearing ENABLE ALWAYS TRIGGER integration_plans_hearing_office;
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER integration_plans_case_reassigned;
"""

# Back to 0007's row triggers (office only); the column goes with the field.
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS integration_plans_case_reassigned ON cases_case;
DROP FUNCTION IF EXISTS integration_plans_case_reassigned();
CREATE OR REPLACE FUNCTION integration_plans_plan_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT contact_point_id FROM cases_case WHERE id = NEW.case_id);
    RETURN NEW;
END $$;
DROP TRIGGER integration_plans_plan_office ON integration_plans_integrationplan;
CREATE TRIGGER integration_plans_plan_office BEFORE INSERT OR UPDATE OF case_id, office_id
    ON integration_plans_integrationplan FOR EACH ROW EXECUTE FUNCTION integration_plans_plan_office();
CREATE OR REPLACE FUNCTION integration_plans_obligation_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT c.contact_point_id FROM integration_plans_integrationplan p
                      JOIN cases_case c ON c.id = p.case_id WHERE p.id = NEW.plan_id);
    RETURN NEW;
END $$;
DROP TRIGGER integration_plans_obligation_office ON integration_plans_obligation;
CREATE TRIGGER integration_plans_obligation_office BEFORE INSERT OR UPDATE OF plan_id, office_id
    ON integration_plans_obligation FOR EACH ROW EXECUTE FUNCTION integration_plans_obligation_office();
CREATE OR REPLACE FUNCTION integration_plans_hearing_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT contact_point_id FROM cases_case WHERE id = NEW.case_id);
    RETURN NEW;
END $$;
DROP TRIGGER integration_plans_hearing_office ON integration_plans_hearing;
CREATE TRIGGER integration_plans_hearing_office BEFORE INSERT OR UPDATE OF case_id, office_id
    ON integration_plans_hearing FOR EACH ROW EXECUTE FUNCTION integration_plans_hearing_office();
ALTER TABLE integration_plans_integrationplan ENABLE ALWAYS TRIGGER integration_plans_plan_office;
ALTER TABLE integration_plans_obligation ENABLE ALWAYS TRIGGER integration_plans_obligation_office;
ALTER TABLE integration_plans_hearing ENABLE ALWAYS TRIGGER integration_plans_hearing_office;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_application_queue_indexes'),
        ('integration_plans', '0007_office_column'),
        ('jobcenter', '0008_stored_blobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='hearing',
            name='manager',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='case manager'),
        ),
        migrations.AddField(
            model_name='integrationplan',
            name='manager',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='case manager'),
        ),
        migrations.AddField(
            model_name='obligation',
            name='manager',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='case manager'),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
        migrations.AddIndex(
            model_name='hearing',
            index=models.Index(fields=['manager', 'status', 'opened_on', 'id'], name='hearing_manager_status_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('reviewed_on__isnull', True), ('status__in', ['final', 'signed'])), fields=['manager', 'review_on', 'id'], name='plan_manager_review_due_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('status__in', ['final', 'signed'])), fields=['manager', 'valid_until', 'id'], name='plan_manager_until_idx'),
        ),
        migrations.AddIndex(
            model_name='obligation',
            index=models.Index(condition=models.Q(('next_check_on__isnull', False)), fields=['manager', 'next_check_on', 'id'], name='obligation_manager_check_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('signed_on__isnull', False)), fields=['office', 'signed_on'], name='plan_office_signed_idx'),
        ),
    ]
