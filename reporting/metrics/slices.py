"""The rows every metric is broken down by: target groups (as in force in the period), the sub-group of young
people under 25 and the two Träger. Defined once; the tables, the CSV, the PDF and the drill-down use them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.rules import TargetGroup
from jobcenter.models import Agency


@dataclass(frozen=True)
class Slice:
    key: str
    label: str | Promise
    groups: frozenset[str]
    youth_only: bool = False
    total: bool = False  # shown emphasised
    short: str | Promise = ""  # for narrow column headers

    @property
    def short_label(self) -> str | Promise:
        return self.short or self.label

    def matches(self, target_group: str, youth: bool) -> bool:
        return target_group in self.groups and (youth or not self.youth_only)


HLU = Slice("hlu", TargetGroup.HLU.label, frozenset({TargetGroup.HLU}), short=_("HLU"))
KOMBI = Slice("kombi", TargetGroup.KOMBI.label, frozenset({TargetGroup.KOMBI}), short=_("Combined"))
ALHI = Slice("alhi", TargetGroup.ALHI.label, frozenset({TargetGroup.ALHI}), short=_("Alhi"))
ALL = Slice("all", _("All target groups"), frozenset({TargetGroup.HLU, TargetGroup.KOMBI, TargetGroup.ALHI}),
            total=True, short=_("Target groups"))
YOUTH = Slice("youth", _("of which young people under 25"), ALL.groups, youth_only=True, short=_("under 25"))
# By Träger: the Arbeitsamt pays Alg/Alhi (Alhi and Kombi recipients), the Sozialhilfeträger HLU (HLU and Kombi
# recipients); Kombibezieher count for both.
ARBEITSAMT = Slice("arbeitsamt", _("Employment office (Alhi and combined recipients)"),
                   frozenset({TargetGroup.ALHI, TargetGroup.KOMBI}))
SOZIALHILFE = Slice("sozialhilfe", _("Social welfare agency (HLU and combined recipients)"),
                    frozenset({TargetGroup.HLU, TargetGroup.KOMBI}))
NONE = Slice("none", _("No target group"), frozenset({TargetGroup.NONE}), short=_("No group"))
# For counts of people (cases, referrals, plans): everybody, whatever their group, and the young among them.
TOTAL = Slice("total", _("Total"), frozenset(TargetGroup.values), total=True)
YOUTH_TOTAL = Slice("youth_total", _("of which young people under 25"), TOTAL.groups, youth_only=True,
                    short=_("under 25"))

GROUP_SLICES = (HLU, KOMBI, ALHI)
QUOTE_SLICES = (HLU, KOMBI, ALHI, ALL, YOUTH, ARBEITSAMT, SOZIALHILFE)
COUNT_SLICES = (HLU, KOMBI, ALHI, NONE, TOTAL, YOUTH_TOTAL)
SLICES = {s.key: s for s in (*QUOTE_SLICES, *COUNT_SLICES)}
AGENCY_OF_SLICE = {ARBEITSAMT.key: Agency.Kind.ARBEITSAMT, SOZIALHILFE.key: Agency.Kind.SOZIALHILFE}
LAW_OF_AGENCY: dict[str, str] = {Agency.Kind.ARBEITSAMT: "SGB III", Agency.Kind.SOZIALHILFE: "BSHG"}


def get(key: str | None) -> Slice | None:
    return SLICES.get(key or "")
