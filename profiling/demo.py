"""Demo profilings: every open case in status profiling or later gets a profiling that fits its customer segment;
about a third of the cases in planning or later have two, a month or more apart (so the comparison shows); some
categories are overridden with a reason; Betreuungskunden get Sozialanamnesen; the office with the module
Tiefenprofiling gets a few assessments (through the partners referral service) with results and one PDF report.

Bulk inserts for the many rows; services only for the few assessments (their rules: consent, capacity). Dates
are relative to today. Idempotent: an office whose cases already have profilings is left alone.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, CaseStatus, Segment
from jobcenter.roles import Module
from partners.errors import PartnerError
from partners.models import DataCategory, Offer, PartnerKind, ReferralStatus
from partners.services import referrals as partner_referrals
from profiling.errors import ProfilingError
from profiling.models import Profiling, ProfilingRating, SocialHistory
from profiling.rules import DIMENSIONS, Dimension, ProfileCategory, Rating, derive_category
from profiling.services import assessments

D, R = Dimension, Rating
NOTES: dict[str, dict[str, list[str]]] = {
    D.SCHOOLING: {R.STRENGTH: ["Realschulabschluss mit guten Noten."], R.NEED: ["Hauptschulabschluss fehlt."],
                  R.OBSTACLE: ["Ohne Schulabschluss, Lese- und Schreibschwäche."]},
    D.VOCATIONAL_TRAINING: {R.STRENGTH: ["Abgeschlossene Ausbildung als Einzelhandelskauffrau."],
                            R.NEED: ["Ausbildung abgebrochen; Teilqualifikation Lager denkbar."],
                            R.OBSTACLE: ["Keine Berufsausbildung, keine verwertbaren Zertifikate."]},
    D.WORK_EXPERIENCE: {R.STRENGTH: ["Zehn Jahre Erfahrung in Lager und Logistik."],
                        R.NEED: ["Letzte Beschäftigung vor drei Jahren."],
                        R.OBSTACLE: ["Seit über fünf Jahren ohne Beschäftigung."]},
    D.GERMAN: {R.STRENGTH: ["Muttersprache Deutsch, sicher im Schriftverkehr."],
               R.NEED: ["Mündlich gut, schriftlich unsicher (B1)."],
               R.OBSTACLE: ["Deutschkenntnisse für Bewerbungen nicht ausreichend (A2)."]},
    D.MOBILITY: {R.STRENGTH: ["Führerschein Klasse B und eigener Pkw."], R.NEED: ["Kein Führerschein, ÖPNV gut erreichbar."],
                 R.OBSTACLE: ["Wohnort ohne Busanbindung, kein Führerschein."]},
    D.HEALTH: {R.STRENGTH: ["Körperlich belastbar."], R.NEED: ["Rückenbeschwerden; keine schweren Hebetätigkeiten."],
               R.OBSTACLE: ["Längere Erkrankung, Belastbarkeit ungeklärt."]},
    D.CARE_DUTIES: {R.STRENGTH: ["Kinderbetreuung durch Großeltern gesichert."],
                    R.NEED: ["Kind im Kindergarten, Nachmittagsbetreuung fehlt."],
                    R.OBSTACLE: ["Alleinerziehend mit zwei Kindern unter 3, keine Betreuung."]},
    D.HOUSING: {R.STRENGTH: ["Stabile Wohnsituation."], R.NEED: ["Mietrückstand von zwei Monaten."],
                R.OBSTACLE: ["Räumungsklage anhängig, Wohnungsverlust droht."]},
    D.DEBTS: {R.STRENGTH: ["Keine Schulden."], R.NEED: ["Ratenzahlungen bei zwei Gläubigern."],
              R.OBSTACLE: ["Überschuldet (ca. 15.000 EUR), Kontopfändung."]},
    D.ADDICTION: {R.STRENGTH: ["Keine Hinweise."], R.NEED: ["Erhöhter Alkoholkonsum angesprochen."],
                  R.OBSTACLE: ["Alkoholabhängigkeit, bisher keine Behandlung."]},
    D.MOTIVATION: {R.STRENGTH: ["Sehr motiviert, sucht aktiv."], R.NEED: ["Resigniert nach vielen Absagen."],
                   R.OBSTACLE: ["Hält Arbeitsaufnahme derzeit für ausgeschlossen."]},
    D.SOCIAL_SKILLS: {R.STRENGTH: ["Freundlich, teamfähig, zuverlässig."], R.NEED: ["Unsicher im Vorstellungsgespräch."],
                      R.OBSTACLE: ["Häufige Konflikte, Termine werden nicht eingehalten."]},
}
SOCIAL_HISTORY_TEXTS = {
    "household": ["Alleinerziehend, zwei Kinder (3 und 7 Jahre).", "Lebt mit Partnerin und deren Sohn zusammen.",
                  "Alleinstehend, Kontakt zur Mutter."],
    "housing": ["2-Zimmer-Wohnung, Miete wird direkt gezahlt.", "Mietrückstände, Gespräch mit Vermieter vereinbart.",
                "Wohnt vorübergehend bei einem Bekannten."],
    "health": ["Chronische Rückenschmerzen, in orthopädischer Behandlung.", "Keine Einschränkungen berichtet.",
               "Depressive Episode 2002, derzeit stabil."],
    "debts": ["Schulden bei Versandhandel und Telefonanbieter, ca. 6.000 EUR.", "Keine Schulden bekannt.",
              "Kontopfändung, Schuldnerberatung bei der Caritas begonnen."],
    "addiction": ["", "Alkohol: nach eigener Aussage seit einem Jahr abstinent.", "Raucher, sonst keine Hinweise."],
    "biography": ["Nach der Realschule Ausbildung zur Verkäuferin, 12 Jahre im Einzelhandel, seit 2001 arbeitslos.",
                  "Schulabbruch mit 16, Gelegenheitsjobs auf dem Bau, seit 1999 ohne Beschäftigung.",
                  "Zugezogen 1996, Abschluss als Schweißer nicht anerkannt."],
}
# (how many strengths, needs, obstacles) per target category
SHAPES: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    ProfileCategory.MARKT: ((2, 5), (0, 0), (0, 0)),
    ProfileCategory.BERATUNG: ((1, 4), (1, 3), (0, 0)),
    ProfileCategory.BETREUUNG: ((0, 3), (1, 3), (1, 2)),
}
CATEGORY_OF_SEGMENT = {
    Segment.INFORMATION: ProfileCategory.MARKT, Segment.BERATUNG: ProfileCategory.BERATUNG,
    Segment.FALLMANAGEMENT: ProfileCategory.BETREUUNG,
}
LATER_STATUSES = (CaseStatus.PLANNING, CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP)
OVERRIDE_REASON = "Mehrere Bedarfe gleichzeitig; nur mit enger Begleitung im Fallmanagement zu bewältigen."


def seed(organisation: Any) -> str:
    counts = [0, 0, 0]
    for index, office in enumerate(organisation.offices):
        if Profiling.objects.filter(case__contact_point=office).exists():
            continue
        rng = random.Random(5003 + index)  # noqa: S311 - reproducible demo data
        suffix = "" if index == 0 else "2"
        manager, lead = organisation.staff[f"fallmanager{suffix}"], organisation.staff[f"teamleitung{suffix}"]
        profilings, histories = _seed_profilings(office, rng, manager, lead)
        counts[0] += profilings
        counts[1] += histories
        if office.has_module(Module.TIEFENPROFILING):
            counts[2] += _seed_assessments(office, manager)
    return f"{counts[0]} profilings, {counts[1]} social histories, {counts[2]} assessments"


def _ratings(rng: random.Random, category: str) -> dict[str, str]:
    (s_lo, s_hi), (n_lo, n_hi), (o_lo, o_hi) = SHAPES[category]
    dims = list(DIMENSIONS)
    rng.shuffle(dims)
    ratings: dict[str, str] = dict.fromkeys(DIMENSIONS, Rating.NEUTRAL)
    for rating, count in ((Rating.OBSTACLE, rng.randint(o_lo, o_hi)), (Rating.NEED, rng.randint(n_lo, n_hi)),
                          (Rating.STRENGTH, rng.randint(s_lo, s_hi))):
        for _ in range(count):
            ratings[dims.pop()] = rating
    return ratings


def _earlier(rng: random.Random, later: dict[str, str]) -> dict[str, str]:
    """The month before: one or two areas worse (a need that is resolved now, an obstacle that became a need)."""
    earlier = dict(later)
    worse: dict[str, str] = {Rating.STRENGTH: Rating.NEUTRAL, Rating.NEUTRAL: Rating.NEED, Rating.NEED: Rating.OBSTACLE}
    candidates = [d for d, r in later.items() if r in (Rating.NEUTRAL, Rating.NEED)]
    for d in rng.sample(candidates, k=min(len(candidates), rng.randint(1, 2))):
        earlier[d] = worse[later[d]]
    return earlier


def _note(rng: random.Random, dimension: str, rating: str) -> str:
    options = NOTES[dimension].get(rating)
    return rng.choice(options) if options else ""


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(14, 0)))


def _seed_profilings(office: Any, rng: random.Random, manager: Any, lead: Any) -> tuple[int, int]:
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(contact_point=office, status__in=(CaseStatus.PROFILING, *LATER_STATUSES)).order_by("id")
    )
    planned: list[tuple[Profiling, dict[str, str]]] = []
    betreuung: list[Case] = []
    for case in cases:
        target = CATEGORY_OF_SEGMENT.get(case.segment) or rng.choice(list(ProfileCategory.values))
        override = target == ProfileCategory.BETREUUNG and rng.random() < 0.1
        ratings = _ratings(rng, ProfileCategory.BERATUNG if override else target)
        age = (today - case.opened_on).days
        later_on = case.opened_on + timedelta(days=min(age, rng.randint(7, 21)))
        if case.status in LATER_STATUSES and age >= 60 and rng.random() < 0.35:
            earlier_on = later_on
            later_on = min(today, earlier_on + timedelta(days=rng.randint(30, 45)))
            earlier = _earlier(rng, ratings)
            planned.append((_profiling(case, earlier_on, earlier, manager, confirmed=True), earlier))
        confirmed = case.status in LATER_STATUSES
        profiling = _profiling(case, later_on, ratings, manager, confirmed=confirmed)
        if override and confirmed:
            profiling.category, profiling.override_reason = ProfileCategory.BETREUUNG, OVERRIDE_REASON
        planned.append((profiling, ratings))
        if profiling.category == ProfileCategory.BETREUUNG and confirmed:
            betreuung.append(case)
    Profiling.objects.bulk_create([p for p, _ in planned])
    ProfilingRating.objects.bulk_create(
        ProfilingRating(profiling=p, dimension=d, rating=r, note=_note(rng, d, r) if r != Rating.NEUTRAL else "")
        for p, ratings in planned for d, r in ratings.items()
    )
    histories = []
    if office.has_module(Module.SOZIALANAMNESE):
        for case in betreuung:
            if rng.random() < 0.6:
                author = case.case_manager or lead
                histories.append(SocialHistory(
                    case=case, recorded_on=min(today, case.opened_on + timedelta(days=rng.randint(10, 30))),
                    recorded_by=author, updated_by=author,
                    **{name: rng.choice(texts) for name, texts in SOCIAL_HISTORY_TEXTS.items()},
                ))
        SocialHistory.objects.bulk_create(histories)
    return len(planned), len(histories)


def _profiling(case: Case, day: date, ratings: dict[str, str], manager: Any, *, confirmed: bool) -> Profiling:
    category = derive_category(ratings).category
    recorder = case.case_manager or manager
    return Profiling(
        case=case, profiled_on=day, derived_category=category, category=category, recorded_by=recorder,
        confirmed_at=_at(day) if confirmed else None, confirmed_by=recorder if confirmed else None,
    )


# --- assessments ----------------------------------------------------------------------------------------------
QUESTIONS = [
    ("Ist Frau/Herr körperlich für Tätigkeiten im Lager (Heben bis 15 kg) belastbar?",
     "Belastbar für leichte bis mittelschwere Tätigkeiten; Heben über 10 kg vermeiden.",
     "Qualifizierung Staplerschein; Einsatz in der Kommissionierung mit Hebehilfen."),
    ("Welche beruflichen Interessen und Fähigkeiten bestehen nach langer Arbeitslosigkeit?",
     "Gute handwerkliche Fähigkeiten, Interesse an Garten- und Landschaftsbau, Konzentration eingeschränkt.",
     "Betriebspraktikum im Garten- und Landschaftsbau, begleitend psychosoziale Stabilisierung."),
    ("Reichen die Deutschkenntnisse für eine Tätigkeit im Verkauf?", "", ""),
    ("Ist eine Umschulung zur Kauffrau im Einzelhandel erfolgversprechend?", "", ""),
]


def _seed_assessments(office: Any, manager: Any) -> int:
    today = timezone.localdate()
    offer = Offer.objects.filter(partner__contact_point=office, category=PartnerKind.ASSESSMENT, active=True).first()
    if offer is None:
        return 0
    cases = list(
        Case.objects.filter(contact_point=office, case_manager=manager, status__in=LATER_STATUSES)
        .select_related("client", "contact_point").order_by("-opened_on", "id")[: len(QUESTIONS)]
    )
    made = 0
    for number, (case, (question, result, recommendations)) in enumerate(zip(cases, QUESTIONS, strict=False)):
        referred_on = max(case.opened_on, today - timedelta(days=40 - number * 8))
        try:
            assessment = assessments.commission_assessment(
                case=case, offer=offer, question=question, by=manager, referred_on=referred_on,
                shared_data=[DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.CAREER, DataCategory.PROFILING],
            )
            if result:
                partner_referrals.change_status(referral=assessment.referral, status=ReferralStatus.STARTED,
                                                by=manager, on=referred_on)
                partner_referrals.change_status(referral=assessment.referral, status=ReferralStatus.COMPLETED,
                                                by=manager, on=min(today, referred_on + timedelta(days=14)))
                report = SimpleUploadedFile("Assessment-Bericht.pdf", _demo_pdf(result), "application/pdf") \
                    if number == 0 else None
                assessments.record_result(assessment=assessment, result_on=min(today, referred_on + timedelta(days=14)),
                                          result_summary=result, recommendations=recommendations, by=manager,
                                          report=report)
            elif number == 2:
                partner_referrals.change_status(referral=assessment.referral, status=ReferralStatus.ACCEPTED,
                                                by=manager, on=referred_on)
        except (ProfilingError, PartnerError):  # e.g. the offer is full in this demo state: leave it out
            continue
        made += 1
    return made


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text (plain ASCII), built by hand with a correct cross-reference table."""
    safe = text.encode("ascii", "replace").decode().replace("\\", "").replace("(", "[").replace(")", "]")
    stream = f"BT /F1 11 Tf 50 780 Td (Assessment-Bericht - Demo) Tj 0 -20 Td ({safe[:90]}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
