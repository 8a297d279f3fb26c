"""The plan's office (issue 13): ``IntegrationPlan.office`` (and ``Obligation.office``, ``Hearing.office``), the
case's contact point kept on the row so the office's plan list and worklists lead their indexes with it instead of
walking the plans of every office.

The database keeps the column right whatever writes the row (the services, the admin, the benchmark seeds'
``INSERT … SELECT``): a BEFORE INSERT trigger takes it from the case, and a trigger on ``cases_case`` moves a case's
plans, obligations and hearings when the case moves to another contact point (``cases.services.handover``), in the
same statement and so in the same transaction. The backfill is one UPDATE per table (the column is left out of the
history, so it writes no history rows; the history triggers are recreated without it first); the indexes are built
after it.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
UPDATE integration_plans_integrationplan p SET office_id = c.contact_point_id
FROM cases_case c WHERE c.id = p.case_id AND p.office_id IS DISTINCT FROM c.contact_point_id;
UPDATE integration_plans_obligation o SET office_id = p.office_id
FROM integration_plans_integrationplan p WHERE p.id = o.plan_id AND o.office_id IS DISTINCT FROM p.office_id;
UPDATE integration_plans_hearing h SET office_id = c.contact_point_id
FROM cases_case c WHERE c.id = h.case_id AND h.office_id IS DISTINCT FROM c.contact_point_id;
"""

TRIGGERS = """
CREATE FUNCTION integration_plans_plan_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT contact_point_id FROM cases_case WHERE id = NEW.case_id);
    RETURN NEW;
END $$;
CREATE TRIGGER integration_plans_plan_office BEFORE INSERT OR UPDATE OF case_id, office_id
    ON integration_plans_integrationplan FOR EACH ROW EXECUTE FUNCTION integration_plans_plan_office();

CREATE FUNCTION integration_plans_obligation_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT c.contact_point_id FROM integration_plans_integrationplan p
                      JOIN cases_case c ON c.id = p.case_id WHERE p.id = NEW.plan_id);
    RETURN NEW;
END $$;
CREATE TRIGGER integration_plans_obligation_office BEFORE INSERT OR UPDATE OF plan_id, office_id
    ON integration_plans_obligation FOR EACH ROW EXECUTE FUNCTION integration_plans_obligation_office();

CREATE FUNCTION integration_plans_hearing_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT contact_point_id FROM cases_case WHERE id = NEW.case_id);
    RETURN NEW;
END $$;
CREATE TRIGGER integration_plans_hearing_office BEFORE INSERT OR UPDATE OF case_id, office_id
    ON integration_plans_hearing FOR EACH ROW EXECUTE FUNCTION integration_plans_hearing_office();

CREATE FUNCTION integration_plans_case_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE integration_plans_integrationplan SET office_id = NEW.contact_point_id
    WHERE case_id = NEW.id AND office_id IS DISTINCT FROM NEW.contact_point_id;
    UPDATE integration_plans_obligation SET office_id = NEW.contact_point_id
    WHERE plan_id IN (SELECT id FROM integration_plans_integrationplan WHERE case_id = NEW.id)
      AND office_id IS DISTINCT FROM NEW.contact_point_id;
    UPDATE integration_plans_hearing SET office_id = NEW.contact_point_id
    WHERE case_id = NEW.id AND office_id IS DISTINCT FROM NEW.contact_point_id;
    RETURN NULL;
END $$;
CREATE TRIGGER integration_plans_case_moved AFTER UPDATE OF contact_point_id ON cases_case FOR EACH ROW
    WHEN (OLD.contact_point_id IS DISTINCT FROM NEW.contact_point_id)
    EXECUTE FUNCTION integration_plans_case_moved();
-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE integration_plans_integrationplan ENABLE ALWAYS TRIGGER integration_plans_plan_office;
ALTER TABLE integration_plans_obligation ENABLE ALWAYS TRIGGER integration_plans_obligation_office;
ALTER TABLE integration_plans_hearing ENABLE ALWAYS TRIGGER integration_plans_hearing_office;
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER integration_plans_case_moved;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS integration_plans_case_moved ON cases_case;
DROP FUNCTION IF EXISTS integration_plans_case_moved();
DROP TRIGGER IF EXISTS integration_plans_plan_office ON integration_plans_integrationplan;
DROP FUNCTION IF EXISTS integration_plans_plan_office();
DROP TRIGGER IF EXISTS integration_plans_obligation_office ON integration_plans_obligation;
DROP FUNCTION IF EXISTS integration_plans_obligation_office();
DROP TRIGGER IF EXISTS integration_plans_hearing_office ON integration_plans_hearing;
DROP FUNCTION IF EXISTS integration_plans_hearing_office();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_my_day_indexes'),
        ('integration_plans', '0006_plan_list_indexes'),
        ('jobcenter', '0008_stored_blobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='hearing',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='obligation',
            name='update_update',
        ),
        migrations.RemoveIndex(
            model_name='integrationplan',
            name='plan_in_force_changed_idx',
        ),
        migrations.RemoveIndex(
            model_name='integrationplan',
            name='plan_changed_idx',
        ),
        migrations.AddField(
            model_name='hearing',
            name='office',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jobcenter.contactpoint', verbose_name='contact point'),
        ),
        migrations.AddField(
            model_name='integrationplan',
            name='office',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jobcenter.contactpoint', verbose_name='contact point'),
        ),
        migrations.AddField(
            model_name='obligation',
            name='office',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jobcenter.contactpoint', verbose_name='contact point'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='hearing',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."breach" IS DISTINCT FROM (NEW."breach") OR OLD."case_id" IS DISTINCT FROM (NEW."case_id") OR OLD."check_record_id" IS DISTINCT FROM (NEW."check_record_id") OR OLD."consequence" IS DISTINCT FROM (NEW."consequence") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."decided_by_id" IS DISTINCT FROM (NEW."decided_by_id") OR OLD."decided_on" IS DISTINCT FROM (NEW."decided_on") OR OLD."decision" IS DISTINCT FROM (NEW."decision") OR OLD."good_reason_accepted" IS DISTINCT FROM (NEW."good_reason_accepted") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."legal_basis" IS DISTINCT FROM (NEW."legal_basis") OR OLD."opened_by_id" IS DISTINCT FROM (NEW."opened_by_id") OR OLD."opened_on" IS DISTINCT FROM (NEW."opened_on") OR OLD."plan_id" IS DISTINCT FROM (NEW."plan_id") OR OLD."reason" IS DISTINCT FROM (NEW."reason") OR OLD."statement" IS DISTINCT FROM (NEW."statement") OR OLD."statement_on" IS DISTINCT FROM (NEW."statement_on") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at"))', func='INSERT INTO "integration_plans_hearingevent" ("breach", "case_id", "check_record_id", "consequence", "created_at", "decided_by_id", "decided_on", "decision", "good_reason_accepted", "id", "legal_basis", "opened_by_id", "opened_on", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "plan_id", "reason", "statement", "statement_on", "status", "updated_at") VALUES (NEW."breach", NEW."case_id", NEW."check_record_id", NEW."consequence", NEW."created_at", NEW."decided_by_id", NEW."decided_on", NEW."decision", NEW."good_reason_accepted", NEW."id", NEW."legal_basis", NEW."opened_by_id", NEW."opened_on", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."plan_id", NEW."reason", NEW."statement", NEW."statement_on", NEW."status", NEW."updated_at"); RETURN NULL;', hash='f3f85b2bf8582e80a6d4f700e803ed2528d47e2a', operation='UPDATE', pgid='pgtrigger_update_update_21c25', table='integration_plans_hearing', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='obligation',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."description" IS DISTINCT FROM (NEW."description") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."key" IS DISTINCT FROM (NEW."key") OR OLD."kind" IS DISTINCT FROM (NEW."kind") OR OLD."next_check_on" IS DISTINCT FROM (NEW."next_check_on") OR OLD."period" IS DISTINCT FROM (NEW."period") OR OLD."plan_id" IS DISTINCT FROM (NEW."plan_id") OR OLD."position" IS DISTINCT FROM (NEW."position") OR OLD."proof" IS DISTINCT FROM (NEW."proof") OR OLD."quantity" IS DISTINCT FROM (NEW."quantity"))', func='INSERT INTO "integration_plans_obligationevent" ("description", "id", "key", "kind", "next_check_on", "period", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "plan_id", "position", "proof", "quantity") VALUES (NEW."description", NEW."id", NEW."key", NEW."kind", NEW."next_check_on", NEW."period", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."plan_id", NEW."position", NEW."proof", NEW."quantity"); RETURN NULL;', hash='ee726038bf84a36bb2876cd571249de2fea47fe3', operation='UPDATE', pgid='pgtrigger_update_update_02ef8', table='integration_plans_obligation', when='AFTER')),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
        migrations.AddIndex(
            model_name='hearing',
            index=models.Index(fields=['office', 'status', 'opened_on', 'id'], name='hearing_office_status_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(fields=['office', 'updated_at', 'id'], name='plan_office_changed_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(fields=['office', 'valid_until', 'id'], name='plan_office_until_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(fields=['office', 'review_on', 'id'], name='plan_office_review_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(fields=['office', 'status', 'updated_at', 'id'], name='plan_office_status_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('kind', 'decision')), fields=['office', 'status', 'updated_at', 'id'], name='plan_office_decision_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('status__in', ['final', 'signed'])), fields=['office', 'updated_at', 'id'], name='plan_office_in_force_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('status__in', ['final', 'signed'])), fields=['office', 'valid_until', 'id'], name='plan_office_force_until_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('status__in', ['final', 'signed'])), fields=['office', 'review_on', 'id'], name='plan_office_force_review_idx'),
        ),
        migrations.AddIndex(
            model_name='integrationplan',
            index=models.Index(condition=models.Q(('reviewed_on__isnull', True), ('status__in', ['final', 'signed'])), fields=['office', 'review_on', 'id'], name='plan_office_review_due_idx'),
        ),
        migrations.AddIndex(
            model_name='obligation',
            index=models.Index(condition=models.Q(('next_check_on__isnull', False)), fields=['office', 'next_check_on', 'id'], name='obligation_office_check_idx'),
        ),
    ]
