"""The case manager on the referral (issue 13): ``Referral.manager``, the case's case manager kept on the row like
the office (0003), so that a case manager's own referrals (the list's "mine", the start-page card of overdue
feedback) read an index of their own instead of joining the office's referrals with its cases. A BEFORE trigger
fills both columns from the case; a trigger on ``cases_case`` carries a reassignment to the case's referrals in the
same statement. Not in the history (it is the case's). Backfill, triggers, then the index.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
UPDATE partners_referral r SET manager_id = c.case_manager_id
FROM cases_case c WHERE c.id = r.case_id AND r.manager_id IS DISTINCT FROM c.case_manager_id
"""

TRIGGERS = """
CREATE OR REPLACE FUNCTION partners_referral_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT contact_point_id, case_manager_id INTO NEW.office_id, NEW.manager_id
    FROM cases_case WHERE id = NEW.case_id;
    RETURN NEW;
END $$;
DROP TRIGGER partners_referral_office ON partners_referral;
CREATE TRIGGER partners_referral_office BEFORE INSERT OR UPDATE OF case_id, office_id, manager_id
    ON partners_referral FOR EACH ROW EXECUTE FUNCTION partners_referral_office();

CREATE FUNCTION partners_case_reassigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE partners_referral SET manager_id = NEW.case_manager_id
    WHERE case_id = NEW.id AND manager_id IS DISTINCT FROM NEW.case_manager_id;
    RETURN NULL;
END $$;
CREATE TRIGGER partners_case_reassigned AFTER UPDATE OF case_manager_id ON cases_case FOR EACH ROW
    WHEN (OLD.case_manager_id IS DISTINCT FROM NEW.case_manager_id)
    EXECUTE FUNCTION partners_case_reassigned();
-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE partners_referral ENABLE ALWAYS TRIGGER partners_referral_office;
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER partners_case_reassigned;
"""

# Back to 0003's row trigger (office only); the column goes with the field.
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS partners_case_reassigned ON cases_case;
DROP FUNCTION IF EXISTS partners_case_reassigned();
CREATE OR REPLACE FUNCTION partners_referral_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.office_id := (SELECT contact_point_id FROM cases_case WHERE id = NEW.case_id);
    RETURN NEW;
END $$;
DROP TRIGGER partners_referral_office ON partners_referral;
CREATE TRIGGER partners_referral_office BEFORE INSERT OR UPDATE OF case_id, office_id
    ON partners_referral FOR EACH ROW EXECUTE FUNCTION partners_referral_office();
ALTER TABLE partners_referral ENABLE ALWAYS TRIGGER partners_referral_office;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_application_queue_indexes'),
        ('jobcenter', '0008_stored_blobs'),
        ('partners', '0003_office_column'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='manager',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='case manager'),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(models.F('manager'), django.db.models.functions.comparison.Greatest('status_changed_on', 'last_feedback_on'), models.F('id'), condition=models.Q(('status__in', ['accepted', 'proposed', 'started', 'waiting'])), name='referral_manager_running_idx'),
        ),
    ]
