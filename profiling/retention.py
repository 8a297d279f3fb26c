"""The profiling app's part of the retention rule (``cases.retention``): when a client is anonymised, the free
texts of profilings, Sozialanamnesen and assessments go (in the rows and in their audit-trail copies), and the
assessment reports are deleted from disk after the commit. Ratings, dates and categories stay for statistics."""

from __future__ import annotations

from django.db import transaction

from cases.retention import scrub
from profiling import documents
from profiling.models import Assessment, Profiling, ProfilingRating, SocialHistory


def anonymise(client_ids: list[int]) -> dict[str, int]:
    reports = list(
        Assessment.objects.filter(referral__case__client_id__in=client_ids).exclude(report_name="")
        .values_list("report_name", flat=True)
    )
    counts = {
        "profilings": scrub(Profiling, {"case__client_id__in": client_ids}, {"summary": "", "override_reason": ""}),
        "ratings": scrub(ProfilingRating, {"profiling__case__client_id__in": client_ids}, {"note": ""}),
        "social_histories": scrub(SocialHistory, {"case__client_id__in": client_ids},
                                  dict.fromkeys(SocialHistory.SECTIONS, "")),
        "assessments": scrub(Assessment, {"referral__case__client_id__in": client_ids}, {
            "question": "", "result_summary": "", "recommendations": "", "report_name": "",
            "report_original_name": "", "report_size": None, "report_sha256": "", "report_uploaded_at": None,
        }),
    }
    for name in reports:
        transaction.on_commit(lambda name=name: documents.delete_document(name))
    counts["reports"] = len(reports)
    return counts
