"""The letters app's part of the retention rule (``cases.retention``): when a client is anonymised, the printed
content of their letters is emptied (names, address, facts), their PDFs are deleted, and so are the PDFs of the
batches their invitations were printed in (a batch file holds other clients' letters too: it goes as a whole;
the other letters stay and can be printed again one by one). Kinds, dates and template versions stay."""

from __future__ import annotations

from cases.retention import RetentionPolicy, delete_documents, scrub
from letters.models import Letter, LetterBatch

POLICIES = (
    RetentionPolicy("letters", Letter, "case__client_id", {"content": None}, kept={
        "content_sha256": "the SHA-256 of the printed content: reveals nothing once the content is gone",
        "source_sha256": "the SHA-256 of the printed content without its date: reveals nothing either",
        "pdf_claim": "a random token of the worker rendering the PDF, no client data",
    }),
)


def delete_letter_documents(client_ids: list[int]) -> dict[str, int]:
    """The letters' PDFs and the batch PDFs they are in leave the document store (references first)."""
    letters = Letter.objects.filter(case__client_id__in=client_ids)
    batches = LetterBatch.objects.filter(letters__in=letters).distinct()
    document_ids = [pk for pk in letters.values_list("document_id", flat=True) if pk]
    batch_ids = list(batches.values_list("pk", flat=True))
    document_ids += [pk for pk in batches.values_list("document_id", flat=True) if pk]
    scrub(Letter, {"case__client_id__in": client_ids}, {"document": None})
    scrub(LetterBatch, {"pk__in": batch_ids}, {"document": None})
    return {"letter_documents": delete_documents(document_ids)}
