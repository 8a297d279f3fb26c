"""The profiling app's part of the retention rule (``cases.retention``): when a client is anonymised, the free
texts of profilings, Sozialanamnesen and assessments go (in the rows and in their audit-trail copies), and the
assessment reports are deleted from the document store (``jobcenter.documents.delete``: the row now, the file
after the commit). Ratings, dates and categories stay for statistics."""

from __future__ import annotations

from cases.retention import scrub
from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from profiling.models import Assessment, Profiling, ProfilingRating, SocialHistory


def anonymise(client_ids: list[int]) -> dict[str, int]:
    report_ids = list(
        Assessment.objects.filter(referral__case__client_id__in=client_ids, report__isnull=False)
        .values_list("report_id", flat=True)
    )
    counts = {
        "profilings": scrub(Profiling, {"case__client_id__in": client_ids}, {"summary": "", "override_reason": ""}),
        "ratings": scrub(ProfilingRating, {"profiling__case__client_id__in": client_ids}, {"note": ""}),
        "social_histories": scrub(SocialHistory, {"case__client_id__in": client_ids},
                                  dict.fromkeys(SocialHistory.SECTIONS, "")),
        "assessments": scrub(Assessment, {"referral__case__client_id__in": client_ids}, {
            "question": "", "result_summary": "", "recommendations": "", "report": None,
        }),
    }
    reports = list(StoredDocument.objects.filter(pk__in=report_ids))
    for document in reports:
        documents.delete(document)
    counts["reports"] = len(reports)
    return counts
