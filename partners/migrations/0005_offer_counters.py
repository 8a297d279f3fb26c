"""The offer's counters (issue 13): ``Offer.taken_count`` (referrals accepted or started) and
``Offer.waiting_count`` (on the waiting list) kept on the offer, so the free-places board reads 22 offer rows
instead of joining every running referral of every offer (~12,000 at 100,000 clients) to count them.

The database keeps the counters right whatever writes a referral (the services, the admin, ``QuerySet.update``,
the benchmark seeds' ``INSERT … SELECT``): three statement triggers on ``partners_referral`` (insert, update,
delete) add up per offer what the statement changed, from its transition tables, in one
``UPDATE … SET taken_count = taken_count + …``. Relative updates are safe under concurrent transactions: the row
lock serialises them and each adds to the latest committed value. Statement triggers rather than row triggers: a
bulk write of thousands of referrals updates each offer once, not once per referral (row versions of the same
offer piling up within one transaction). A BEFORE trigger on the offer counts afresh from the referrals on insert
and whenever a write names a counter (``Offer.save()``, a hand-written UPDATE): a foreign value is corrected, and
the writes of the referral triggers (trigger depth > 1) pass. All ``ENABLE ALWAYS``: also under
``session_replication_role = replica`` (the seeds, a restore).

The history trigger is recreated without the counters first (they are the referrals'), so the backfill writes no
history rows. The referrals are locked against writes while the backfill runs and the triggers are created, so no
write falls between the two.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

# The statuses of partners.rules: TAKING_STATUSES (accepted, started) and the waiting list.
BACKFILL = """
LOCK TABLE partners_referral IN SHARE ROW EXCLUSIVE MODE;
UPDATE partners_offer o SET taken_count = c.taken, waiting_count = c.waiting
FROM (SELECT offer_id, count(*) FILTER (WHERE status IN ('accepted', 'started')) AS taken,
             count(*) FILTER (WHERE status = 'waiting') AS waiting
      FROM partners_referral WHERE status IN ('accepted', 'started', 'waiting') GROUP BY offer_id) c
WHERE c.offer_id = o.id;
"""

# What one statement changed, per offer: +1 for each running referral row it wrote, −1 for each it replaced or
# removed (an update that leaves status and offer as they were adds nothing and locks no offer).
ADDED = "SELECT offer_id, status, 1 AS sign FROM new_rows WHERE status IN ('accepted', 'started', 'waiting')"
REMOVED = "SELECT offer_id, status, -1 AS sign FROM old_rows WHERE status IN ('accepted', 'started', 'waiting')"
COUNT_FUNCTION = """
CREATE FUNCTION partners_offer_counts_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE partners_offer o SET taken_count = o.taken_count + d.taken, waiting_count = o.waiting_count + d.waiting
    FROM (SELECT offer_id, sum(sign * (status IN ('accepted', 'started'))::int) AS taken,
                 sum(sign * (status = 'waiting')::int) AS waiting
          FROM ({changes}) changes GROUP BY offer_id) d
    WHERE o.id = d.offer_id AND (d.taken <> 0 OR d.waiting <> 0);
    RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE FUNCTION partners_offer_counts_fresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
        RETURN NEW;  -- the referral triggers below, adding what a statement changed
    END IF;
    SELECT count(*) FILTER (WHERE status IN ('accepted', 'started')), count(*) FILTER (WHERE status = 'waiting')
    INTO NEW.taken_count, NEW.waiting_count
    FROM partners_referral WHERE offer_id = NEW.id AND status IN ('accepted', 'started', 'waiting');
    RETURN NEW;
END $$;
CREATE TRIGGER partners_offer_counts_fresh BEFORE INSERT OR UPDATE OF taken_count, waiting_count
    ON partners_offer FOR EACH ROW EXECUTE FUNCTION partners_offer_counts_fresh();
""" + COUNT_FUNCTION.format(op="insert", changes=ADDED) + COUNT_FUNCTION.format(
    op="update", changes=f"{ADDED} UNION ALL {REMOVED}"
) + COUNT_FUNCTION.format(op="delete", changes=REMOVED) + """
CREATE TRIGGER partners_offer_counts_insert AFTER INSERT ON partners_referral
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION partners_offer_counts_insert();
CREATE TRIGGER partners_offer_counts_update AFTER UPDATE ON partners_referral
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION partners_offer_counts_update();
CREATE TRIGGER partners_offer_counts_delete AFTER DELETE ON partners_referral
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION partners_offer_counts_delete();
-- ALWAYS: also with session_replication_role = replica (the benchmark seeds, a restore): derived data
ALTER TABLE partners_offer ENABLE ALWAYS TRIGGER partners_offer_counts_fresh;
ALTER TABLE partners_referral ENABLE ALWAYS TRIGGER partners_offer_counts_insert;
ALTER TABLE partners_referral ENABLE ALWAYS TRIGGER partners_offer_counts_update;
ALTER TABLE partners_referral ENABLE ALWAYS TRIGGER partners_offer_counts_delete;
"""

# The columns go with the fields.
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS partners_offer_counts_insert ON partners_referral;
DROP TRIGGER IF EXISTS partners_offer_counts_update ON partners_referral;
DROP TRIGGER IF EXISTS partners_offer_counts_delete ON partners_referral;
DROP TRIGGER IF EXISTS partners_offer_counts_fresh ON partners_offer;
DROP FUNCTION IF EXISTS partners_offer_counts_insert();
DROP FUNCTION IF EXISTS partners_offer_counts_update();
DROP FUNCTION IF EXISTS partners_offer_counts_delete();
DROP FUNCTION IF EXISTS partners_offer_counts_fresh();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0004_manager_column'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='offer',
            name='update_update',
        ),
        migrations.AddField(
            model_name='offer',
            name='taken_count',
            field=models.IntegerField(db_default=0, default=0, editable=False, verbose_name='Taken'),
        ),
        migrations.AddField(
            model_name='offer',
            name='waiting_count',
            field=models.IntegerField(db_default=0, default=0, editable=False, verbose_name='Waiting'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='offer',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."active" IS DISTINCT FROM (NEW."active") OR OLD."category" IS DISTINCT FROM (NEW."category") OR OLD."commissionable_by" IS DISTINCT FROM (NEW."commissionable_by") OR OLD."cost_per_month" IS DISTINCT FROM (NEW."cost_per_month") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."description" IS DISTINCT FROM (NEW."description") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."partner_id" IS DISTINCT FROM (NEW."partner_id") OR OLD."places" IS DISTINCT FROM (NEW."places") OR OLD."title" IS DISTINCT FROM (NEW."title") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at") OR OLD."valid_from" IS DISTINCT FROM (NEW."valid_from") OR OLD."valid_until" IS DISTINCT FROM (NEW."valid_until"))', func='INSERT INTO "partners_offerevent" ("active", "category", "commissionable_by", "cost_per_month", "created_at", "description", "id", "partner_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "places", "title", "updated_at", "valid_from", "valid_until") VALUES (NEW."active", NEW."category", NEW."commissionable_by", NEW."cost_per_month", NEW."created_at", NEW."description", NEW."id", NEW."partner_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."places", NEW."title", NEW."updated_at", NEW."valid_from", NEW."valid_until"); RETURN NULL;', hash='2379396cc9ec8442a1a4a4134ea5bf9a02ba3493', operation='UPDATE', pgid='pgtrigger_update_update_22487', table='partners_offer', when='AFTER')),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
    ]
