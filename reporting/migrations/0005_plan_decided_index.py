"""An index of reporting's on the plans table: the one-sided decisions never signed, by office and the moment they
were finalised. The cost lines of plan services (``reporting.metrics.plans.service_cost_lines_sql``) find the plans
that came into force in a window through it and ``plan_office_signed_idx`` (a few hundred rows of 300,000), instead
of computing the day each plan came into force for every plan. Reporting reads the plans app; the plans app never
uses this index, so it lives here with its only reader."""

from django.db import migrations

INDEX = "reporting_plan_decided_idx"


class Migration(migrations.Migration):

    dependencies = [
        ("integration_plans", "0008_manager_column"),
        ("reporting", "0004_case_intake"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON integration_plans_integrationplan (office_id, finalised_at) "
            "WHERE signed_on IS NULL AND kind = 'decision'",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
