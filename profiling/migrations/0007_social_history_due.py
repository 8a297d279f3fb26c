"""Open cases due for a Sozialanamnese (issue 13): ``SocialHistoryDue`` holds a row for each open case whose latest
profiling puts the client in case management and that has no social history yet, with the case's office, case
manager and opening date, so the start-page card and the worklist read them in order from an index (before: a
subquery for the latest profiling of every open case of the office, about 5,000 buffers at 100,000 clients).

Kept by the database (ADR 0008): one function decides a case's row from its current state, and triggers call it
whenever a profiling, a social history or the case (status, office, manager, opening date) changes, in the same
statement; ``ENABLE ALWAYS`` so the benchmark seeds and a restore keep it too. The backfill is one INSERT … SELECT
with the same condition, before the triggers exist.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The one definition of "due", for a case ``c`` (the function and the backfill).
DUE = """
    c.status <> 'closed'
    AND NOT EXISTS (SELECT 1 FROM profiling_socialhistory s WHERE s.case_id = c.id)
    AND (SELECT p.category FROM profiling_profiling p WHERE p.case_id = c.id
         ORDER BY p.profiled_on DESC, p.id DESC LIMIT 1) = 'betreuung'
"""

BACKFILL = f"""
INSERT INTO profiling_socialhistorydue (case_id, office_id, manager_id, opened_on)
SELECT c.id, c.contact_point_id, c.case_manager_id, c.opened_on FROM cases_case c WHERE {DUE};
"""

TRIGGERS = f"""
CREATE FUNCTION profiling_social_history_due_refresh(p_case bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO profiling_socialhistorydue (case_id, office_id, manager_id, opened_on)
    SELECT c.id, c.contact_point_id, c.case_manager_id, c.opened_on FROM cases_case c
    WHERE c.id = p_case AND {DUE}
    ON CONFLICT (case_id) DO UPDATE SET office_id = EXCLUDED.office_id, manager_id = EXCLUDED.manager_id,
                                        opened_on = EXCLUDED.opened_on;
    IF NOT FOUND THEN
        DELETE FROM profiling_socialhistorydue WHERE case_id = p_case;
    END IF;
END $$;

-- a profiling or a social history: its case (and the case it left, when it moved)
CREATE FUNCTION profiling_social_history_due_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM profiling_social_history_due_refresh(NEW.case_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.case_id IS DISTINCT FROM NEW.case_id) THEN
        PERFORM profiling_social_history_due_refresh(OLD.case_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER profiling_social_history_due_profiling
    AFTER INSERT OR DELETE OR UPDATE OF case_id, category, profiled_on ON profiling_profiling
    FOR EACH ROW EXECUTE FUNCTION profiling_social_history_due_of_row();
CREATE TRIGGER profiling_social_history_due_history
    AFTER INSERT OR DELETE OR UPDATE OF case_id ON profiling_socialhistory
    FOR EACH ROW EXECUTE FUNCTION profiling_social_history_due_of_row();

CREATE FUNCTION profiling_social_history_due_of_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profiling_social_history_due_refresh(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER profiling_social_history_due_case
    AFTER UPDATE OF status, contact_point_id, case_manager_id, opened_on ON cases_case FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.contact_point_id IS DISTINCT FROM NEW.contact_point_id
          OR OLD.case_manager_id IS DISTINCT FROM NEW.case_manager_id OR OLD.opened_on IS DISTINCT FROM NEW.opened_on)
    EXECUTE FUNCTION profiling_social_history_due_of_case();

-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE profiling_profiling ENABLE ALWAYS TRIGGER profiling_social_history_due_profiling;
ALTER TABLE profiling_socialhistory ENABLE ALWAYS TRIGGER profiling_social_history_due_history;
ALTER TABLE cases_case ENABLE ALWAYS TRIGGER profiling_social_history_due_case;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS profiling_social_history_due_case ON cases_case;
DROP TRIGGER IF EXISTS profiling_social_history_due_history ON profiling_socialhistory;
DROP TRIGGER IF EXISTS profiling_social_history_due_profiling ON profiling_profiling;
DROP FUNCTION IF EXISTS profiling_social_history_due_of_case();
DROP FUNCTION IF EXISTS profiling_social_history_due_of_row();
DROP FUNCTION IF EXISTS profiling_social_history_due_refresh(bigint);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_application_queue_indexes'),
        ('jobcenter', '0008_stored_blobs'),
        ('profiling', '0006_latest_profiling_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SocialHistoryDue',
            fields=[
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='social_history_due', serialize=False, to='cases.case', verbose_name='case')),
                ('opened_on', models.DateField(verbose_name='opened on')),
                ('manager', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='case manager')),
                ('office', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='jobcenter.contactpoint', verbose_name='contact point')),
            ],
            options={
                'verbose_name': 'social history due',
                'verbose_name_plural': 'social histories due',
                'indexes': [models.Index(fields=['office', 'opened_on', 'case'], name='social_history_due_office_idx'), models.Index(fields=['manager', 'opened_on', 'case'], name='social_history_due_manager_idx')],
            },
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
    ]
