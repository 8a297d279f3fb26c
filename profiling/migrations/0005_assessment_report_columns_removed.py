"""The assessment report's own file columns (name on disk, original name, size, SHA-256, upload time) and their
check constraint go, in the table and in its audit trail; the history triggers are rebuilt without them."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('profiling', '0004_move_assessment_reports'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='assessment',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='assessment',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='assessment',
            name='delete_delete',
        ),
        migrations.RemoveConstraint(
            model_name='assessment',
            name='assessment_report_complete',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='report_name',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='report_original_name',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='report_sha256',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='report_size',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='report_uploaded_at',
        ),
        migrations.RemoveField(
            model_name='assessmentevent',
            name='report_name',
        ),
        migrations.RemoveField(
            model_name='assessmentevent',
            name='report_original_name',
        ),
        migrations.RemoveField(
            model_name='assessmentevent',
            name='report_sha256',
        ),
        migrations.RemoveField(
            model_name='assessmentevent',
            name='report_size',
        ),
        migrations.RemoveField(
            model_name='assessmentevent',
            name='report_uploaded_at',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='assessment',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "profiling_assessmentevent" ("commissioned_by_id", "created_at", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question", "recommendations", "referral_id", "report_id", "result_on", "result_recorded_by_id", "result_summary", "updated_at") VALUES (NEW."commissioned_by_id", NEW."created_at", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."question", NEW."recommendations", NEW."referral_id", NEW."report_id", NEW."result_on", NEW."result_recorded_by_id", NEW."result_summary", NEW."updated_at"); RETURN NULL;', hash='8359c29e6deda5118426b4fd8a1012d459f0a84c', operation='INSERT', pgid='pgtrigger_insert_insert_a2cb1', table='profiling_assessment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='assessment',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "profiling_assessmentevent" ("commissioned_by_id", "created_at", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question", "recommendations", "referral_id", "report_id", "result_on", "result_recorded_by_id", "result_summary", "updated_at") VALUES (NEW."commissioned_by_id", NEW."created_at", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."question", NEW."recommendations", NEW."referral_id", NEW."report_id", NEW."result_on", NEW."result_recorded_by_id", NEW."result_summary", NEW."updated_at"); RETURN NULL;', hash='9086e2ec7c8d7a2f62caa5e3fba7b510419885c5', operation='UPDATE', pgid='pgtrigger_update_update_7ebd1', table='profiling_assessment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='assessment',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "profiling_assessmentevent" ("commissioned_by_id", "created_at", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question", "recommendations", "referral_id", "report_id", "result_on", "result_recorded_by_id", "result_summary", "updated_at") VALUES (OLD."commissioned_by_id", OLD."created_at", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."question", OLD."recommendations", OLD."referral_id", OLD."report_id", OLD."result_on", OLD."result_recorded_by_id", OLD."result_summary", OLD."updated_at"); RETURN NULL;', hash='1dea66622d44c93c3ad0ed13b1c88a626f7a0453', operation='DELETE', pgid='pgtrigger_delete_delete_1a8bb', table='profiling_assessment', when='AFTER')),
        ),
    ]
