"""Assessments point at their report in the project's document store (``jobcenter.StoredDocument``); the data
migration 0004 fills the new column from the old file columns, which 0005 removes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jobcenter', '0005_stored_documents'),
        ('profiling', '0002_default_offer_suggestions'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='report',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jobcenter.storeddocument', verbose_name='stored report'),
        ),
        migrations.AddField(
            model_name='assessmentevent',
            name='report',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='jobcenter.storeddocument', verbose_name='stored report'),
        ),
    ]
