"""The profiling app's part of the retention rule (``cases.retention``): when a client is anonymised, the free
texts of profilings, Sozialanamnesen and assessments go (in the rows and in their audit-trail copies), and the
assessment reports are deleted from the document store (``jobcenter.documents.delete``: the row now, the file
after the commit). Ratings, dates and categories stay for statistics."""

from __future__ import annotations

from cases.retention import Registration, RetentionPolicy, delete_documents, scrub
from profiling.models import Assessment, Profiling, ProfilingRating, SocialHistory

POLICIES = (
    RetentionPolicy("profilings", Profiling, "case__client_id", {"summary": "", "override_reason": ""}),
    RetentionPolicy("ratings", ProfilingRating, "profiling__case__client_id", {"note": ""}),
    RetentionPolicy("social_histories", SocialHistory, "case__client_id", dict.fromkeys(SocialHistory.SECTIONS, "")),
    RetentionPolicy("assessments", Assessment, "referral__case__client_id", {
        "question": "", "result_summary": "", "recommendations": "",
    }),
)


def delete_reports(client_ids: list[int]) -> dict[str, int]:
    """The assessment reports of the clients leave the document store (the references first)."""
    assessments = {"referral__case__client_id__in": client_ids, "report__isnull": False}
    report_ids = list(Assessment.objects.filter(**assessments).values_list("report_id", flat=True))
    scrub(Assessment, {"pk__in": Assessment.objects.filter(**assessments).values("pk")}, {"report": None})
    return {"reports": delete_documents(report_ids)}


def anonymise(client_ids: list[int]) -> dict[str, int]:
    """Everything this app does when clients are anonymised (what the retention run does for it)."""
    return Registration("profiling", POLICIES, delete_reports).run(client_ids)
