"""An index of reporting's on the benefits table: the benefits that ended because the client was integrated, by
their last day. The ended transfer payments (``reporting.metrics.transfers``, the figure and its drill-down) find
the benefits of a window through it, instead of reading the whole client index of every office's benefits.
Reporting reads the cases app; the cases app never uses this index, so it lives here with its only reader. The
predicate is ``reporting.metrics.sql.INTEGRATION_END_REASONS`` (the planner matches it with the query's list)."""

from django.db import migrations

INDEX = "reporting_benefit_ended_idx"
REASONS = "'employment', 'self_employment', 'training'"  # INTEGRATION_END_REASONS when this was written


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_clients_benefits_cases"),
        ("reporting", "0005_plan_decided_index"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON cases_benefitentitlement ("end") '
            f"WHERE end_reason IN ({REASONS})",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
