"""The referral's office (issue 13): ``Referral.office``, the case's contact point kept on the referral so the
office's referral list leads its indexes with it instead of sorting the referrals of every office.

The database keeps the column right whatever writes the referral: a BEFORE INSERT trigger takes it from the case,
and a trigger on ``cases_case`` moves a case's referrals when the case moves to another contact point
(``cases.services.handover``), in the same transaction. The history trigger is recreated first, without the column
(it is the case's), so the backfill writes no history rows; the indexes are built after the backfill.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
UPDATE partners_referral r SET office_id = c.contact_point_id
FROM cases_case c WHERE c.id = r.case_id AND r.office_id IS DISTINCT FROM c.contact_point_id
"""

TRIGGERS = """
CREATE FUNCTION partners_referral_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT contact_point_id FROM cases_case WHERE id = NEW.case_id);
    RETURN NEW;
END $$;
CREATE TRIGGER partners_referral_office BEFORE INSERT OR UPDATE OF case_id, office_id
    ON partners_referral FOR EACH ROW EXECUTE FUNCTION partners_referral_office();

CREATE FUNCTION partners_case_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE partners_referral SET office_id = NEW.contact_point_id
    WHERE case_id = NEW.id AND office_id IS DISTINCT FROM NEW.contact_point_id;
    RETURN NULL;
END $$;
CREATE TRIGGER partners_case_moved AFTER UPDATE OF contact_point_id ON cases_case FOR EACH ROW
    WHEN (OLD.contact_point_id IS DISTINCT FROM NEW.contact_point_id)
    EXECUTE FUNCTION partners_case_moved();
-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE partners_referral ENABLE ALWAYS TRIGGER partners_referral_office;
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER partners_case_moved;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS partners_case_moved ON cases_case;
DROP FUNCTION IF EXISTS partners_case_moved();
DROP TRIGGER IF EXISTS partners_referral_office ON partners_referral;
DROP FUNCTION IF EXISTS partners_referral_office();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_list_indexes_office_search'),
        ('jobcenter', '0008_stored_blobs'),
        ('partners', '0002_referral_list_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='referral',
            name='update_update',
        ),
        migrations.RemoveIndex(
            model_name='referral',
            name='referral_referred_idx',
        ),
        migrations.AddField(
            model_name='referral',
            name='office',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jobcenter.contactpoint', verbose_name='contact point'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='referral',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."case_id" IS DISTINCT FROM (NEW."case_id") OR OLD."consent_id" IS DISTINCT FROM (NEW."consent_id") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."last_feedback_on" IS DISTINCT FROM (NEW."last_feedback_on") OR OLD."monthly_cost" IS DISTINCT FROM (NEW."monthly_cost") OR OLD."offer_id" IS DISTINCT FROM (NEW."offer_id") OR OLD."paying_agency_id" IS DISTINCT FROM (NEW."paying_agency_id") OR OLD."paying_basis" IS DISTINCT FROM (NEW."paying_basis") OR OLD."paying_override_reason" IS DISTINCT FROM (NEW."paying_override_reason") OR OLD."planned_months" IS DISTINCT FROM (NEW."planned_months") OR OLD."purpose" IS DISTINCT FROM (NEW."purpose") OR OLD."referred_by_id" IS DISTINCT FROM (NEW."referred_by_id") OR OLD."referred_on" IS DISTINCT FROM (NEW."referred_on") OR OLD."shared_data" IS DISTINCT FROM (NEW."shared_data") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."status_changed_on" IS DISTINCT FROM (NEW."status_changed_on") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at"))', func='INSERT INTO "partners_referralevent" ("case_id", "consent_id", "created_at", "id", "last_feedback_on", "monthly_cost", "offer_id", "paying_agency_id", "paying_basis", "paying_override_reason", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "planned_months", "purpose", "referred_by_id", "referred_on", "shared_data", "status", "status_changed_on", "updated_at") VALUES (NEW."case_id", NEW."consent_id", NEW."created_at", NEW."id", NEW."last_feedback_on", NEW."monthly_cost", NEW."offer_id", NEW."paying_agency_id", NEW."paying_basis", NEW."paying_override_reason", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."planned_months", NEW."purpose", NEW."referred_by_id", NEW."referred_on", NEW."shared_data", NEW."status", NEW."status_changed_on", NEW."updated_at"); RETURN NULL;', hash='c6dc194220ed2ac93f1fdc95e5449e057ccc3243', operation='UPDATE', pgid='pgtrigger_update_update_52834', table='partners_referral', when='AFTER')),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['office', 'referred_on', 'id'], name='referral_office_date_idx'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['office', 'status', 'referred_on', 'id'], name='referral_office_status_idx'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(models.F('office'), django.db.models.functions.comparison.Greatest('status_changed_on', 'last_feedback_on'), models.F('id'), name='referral_office_awaiting_idx'),
        ),
    ]
