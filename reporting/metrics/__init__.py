"""The success measures (docs/domain.md §8, §9), each defined once: its name and the definition shown next to it in the
dashboard, the monthly report and the CSV. The computations live in the submodules and run in the database:

* ``integrations`` – integrations and the Integrationsquote (month and 12 months rolling)
* ``transfers`` – ended transfer payments per Träger
* ``workload`` – caseload per case manager, referrals by partner category, costs per Träger
* ``outcomes`` – sustainability of integrations, intake cohorts
* ``plans`` – integration plans signed (and their services' cost lines)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    key: str
    title: str | Promise
    definition: str | Promise


INTEGRATIONS = Metric(
    "integrations", _("Integrations"),
    _("An integration is a job subject to social insurance, vocational training or self-employment recorded on a "
      "case, counted on its first day (the case stays open in follow-up until the case manager closes it), or a "
      "benefit (Alg, Alhi, HLU) ended for one of these reasons. A client counts "
      "at most once per calendar month (the earliest such event of the month). Target group and age as on the "
      "day of the integration; if every benefit had already ended by then, as on the last day of benefit "
      "receipt in the three months before."),
)
AVERAGE_CLIENTS = Metric(
    "clients", _("Average clients in the target groups"),
    _("For every day of the period, the clients whose case at this contact point was open that day (from the "
      "day of opening to the day of closing, both included), counted in the target group in force that day; "
      "the sum of these daily counts divided by the number of days in the period (for the current month: the "
      "days up to today). A client who changes group during the month counts in each group for the days spent "
      "in it."),
)
QUOTE = Metric(
    "quote", _("Integration rate"),
    _("Integrations of clients in a target group divided by the average number of clients in the target groups "
      "with an open case, in per cent: for the month, and for the 12 months ending with it (integrations of the "
      "12 months divided by the average over the same 12 months). By Träger: the employment office covers Alhi "
      "and combined recipients, the social welfare agency HLU and combined recipients (combined recipients "
      "count for both)."),
)
ENDED_TRANSFERS = Metric(
    "transfers", _("Ended transfer payments"),
    _("Benefits whose last day lies in the period and whose end reason is employment, vocational training or "
      "self-employment: their number and the sum of their monthly amounts, per paying Träger (Alg and Alhi: "
      "employment office; HLU: social welfare agency). Target group as on the last day of the benefit. A "
      "combined recipient whose Alhi and HLU both end counts once for each Träger."),
)
CASELOAD = Metric(
    "caseload", _("Caseload per case manager"),
    _("Cases open at the end of the reference day (opened on or before it and not closed by then) per assigned "
      "case manager, by the target group in force that day. Reference day: the last day of the month, for the "
      "current month today. The assignment is the one at the end of the reference day (from the audit trail)."),
)
TARGET_GROUP_MIX = Metric(
    "mix", _("Target-group mix"),
    _("Open cases on the reference day by the target group in force that day, and the average number of clients "
      "with an open case in the month (as for the integration rate)."),
)
COHORTS = Metric(
    "cohorts", _("Integrated by months since intake"),
    _("Cases opened in the 24 months up to the end of the month, by the client's target group on the day of "
      "opening: the share of cases whose client had an integration (as defined above, any event counts) within "
      "3, 6, 9, 12, 18 and 24 months of opening. A case counts for a column only once that many months have "
      "passed by the reference day."),
)
SUSTAINABILITY = Metric(
    "sustainability", _("Sustainability of integrations"),
    _("The integrations of the month 6 (12) months before: of those whose check day (day of integration plus 6 "
      "or 12 months) has passed by the reference day, the share that drew no benefit at all (Alg, Alhi, HLU) "
      "on the check day."),
)
PLANS_SIGNED = Metric(
    "plans", _("Integration agreements signed"),
    _("Integration plans signed in the period (every signed version counts, including an update of an earlier "
      "agreement), by the client's target group on the day of signing."),
)
REFERRALS = Metric(
    "referrals", _("Referrals by partner category"),
    _("Referrals to partners with a referral date in the period, by the category of the offer; taken up: "
      "accepted, started, completed or aborted (the partner took the client). Target group as on the day of "
      "the referral."),
)
COSTS = Metric(
    "costs", _("Costs per Träger"),
    _("Committed costs, charged to the paying Träger (SGB III: employment office, BSHG: social welfare "
      "agency): every referral taken up with a referral date in the period at cost per month × planned months, "
      "and every service of an integration plan signed in the period at its estimated cost (a service that "
      "points at a referral is counted through the referral). The totals are the sums of these lines; the "
      "drill-down lists every line."),
)
PROGRAMME = Metric(
    "programme", _("Joint programme"),
    _("The yearly plan agreed by both Träger (guidance §9) against the actual figures: expected clients per target "
      "group against the average number of clients with an open case per month; planned places per offer "
      "category against referrals taken up; case managers needed (expected clients ÷ caseload ratio) against "
      "case managers with open cases at the end of the month."),
)
WORKLISTS = Metric(
    "worklists", _("Work lists"),
    _("Reviews of integration plans that are overdue, agreements that expire within 30 days, hearings without a "
      "decision, and running referrals whose partner has not reported for 14 days."),
)

METRICS = {metric.key: metric for metric in (
    INTEGRATIONS, AVERAGE_CLIENTS, QUOTE, ENDED_TRANSFERS, CASELOAD, TARGET_GROUP_MIX, COHORTS, SUSTAINABILITY,
    PLANS_SIGNED, REFERRALS, COSTS, PROGRAMME, WORKLISTS,
)}
