"""The appointment's office (issue 13): ``Appointment.office``, the case's contact point kept on the row, so an
office's appointments of a day ("Mein Tag" of the Teamleitung, the start-page card) are read from its own index
instead of every office's appointments of the day in a city (ADR 0008).

A BEFORE trigger takes it from the case on every insert and on a write naming another case or office; a trigger
on ``cases_case`` moves a case's appointments with the case (the hand-over), in the same statement. Both are
``ENABLE ALWAYS`` (the seeds run with ``session_replication_role = replica``). The history trigger is recreated
without the column first, so the backfill (one UPDATE) writes no history rows; the index is built after it.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
UPDATE cases_appointment a SET office_id = c.contact_point_id
FROM cases_case c WHERE c.id = a.case_id AND a.office_id IS DISTINCT FROM c.contact_point_id;
"""

TRIGGERS = """
CREATE FUNCTION cases_appointment_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT contact_point_id FROM cases_case WHERE id = NEW.case_id);
    RETURN NEW;
END $$;
CREATE TRIGGER cases_appointment_office BEFORE INSERT OR UPDATE OF case_id, office_id
    ON cases_appointment FOR EACH ROW EXECUTE FUNCTION cases_appointment_office();

CREATE FUNCTION cases_case_moved_appointments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_appointment SET office_id = NEW.contact_point_id
    WHERE case_id = NEW.id AND office_id IS DISTINCT FROM NEW.contact_point_id;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_case_moved_appointments AFTER UPDATE OF contact_point_id ON cases_case FOR EACH ROW
    WHEN (OLD.contact_point_id IS DISTINCT FROM NEW.contact_point_id)
    EXECUTE FUNCTION cases_case_moved_appointments();
-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE cases_appointment ENABLE ALWAYS TRIGGER cases_appointment_office;
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER cases_case_moved_appointments;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS cases_case_moved_appointments ON cases_case;
DROP FUNCTION IF EXISTS cases_case_moved_appointments();
DROP TRIGGER IF EXISTS cases_appointment_office ON cases_appointment;
DROP FUNCTION IF EXISTS cases_appointment_office();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_caseload_order_assigned_at'),
        ('jobcenter', '0008_stored_blobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='appointment',
            name='update_update',
        ),
        migrations.AddField(
            model_name='appointment',
            name='office',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jobcenter.contactpoint', verbose_name='contact point'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='appointment',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."cancelled_by" IS DISTINCT FROM (NEW."cancelled_by") OR OLD."case_id" IS DISTINCT FROM (NEW."case_id") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."move_reason" IS DISTINCT FROM (NEW."move_reason") OR OLD."moved_from" IS DISTINCT FROM (NEW."moved_from") OR OLD."outcome" IS DISTINCT FROM (NEW."outcome") OR OLD."outcome_note" IS DISTINCT FROM (NEW."outcome_note") OR OLD."purpose" IS DISTINCT FROM (NEW."purpose") OR OLD."starts_at" IS DISTINCT FROM (NEW."starts_at") OR OLD."times_moved" IS DISTINCT FROM (NEW."times_moved") OR OLD."with_user_id" IS DISTINCT FROM (NEW."with_user_id"))', func='INSERT INTO "cases_appointmentevent" ("cancelled_by", "case_id", "created_at", "id", "move_reason", "moved_from", "outcome", "outcome_note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "purpose", "starts_at", "times_moved", "with_user_id") VALUES (NEW."cancelled_by", NEW."case_id", NEW."created_at", NEW."id", NEW."move_reason", NEW."moved_from", NEW."outcome", NEW."outcome_note", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."purpose", NEW."starts_at", NEW."times_moved", NEW."with_user_id"); RETURN NULL;', hash='312b5559b93eb7899bc0862f849eca8e17d30e33', operation='UPDATE', pgid='pgtrigger_update_update_1fdb2', table='cases_appointment', when='AFTER')),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(condition=models.Q(('outcome', '')), fields=['office', 'starts_at'], name='appointment_office_open_idx'),
        ),
    ]
