"""The read audit of the sensitive parts (Sozialanamnese, assessment result, assessment report), written to the
project's access log (``jobcenter.access_log``). ``what`` names the part and the case in the default language
(German), so the entries of one part can be found again whatever language the reader used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from jobcenter.access_log import record_access
from jobcenter.models import AccessRecord


class Part(models.TextChoices):
    SOCIAL_HISTORY = "social_history", gettext_lazy("Social history")
    ASSESSMENT = "assessment", gettext_lazy("Assessment result")
    ASSESSMENT_REPORT = "assessment_report", gettext_lazy("Assessment report (PDF)")


def audit_label(part: str, case: Case, object_id: int | None = None) -> str:
    """E.g. "Sozialanamnese, Fall 17" or "Assessment-Bericht (PDF) 4, Fall 17" (always the default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Part(part).label)
        if object_id is not None and part != Part.SOCIAL_HISTORY:
            label = f"{label} {object_id}"
        return _("%(part)s, case %(case)s") % {"part": label, "case": case.pk}


def record_read(request: HttpRequest, *, case: Case, part: str, object_id: int | None = None) -> AccessRecord:
    """One entry in the access log: the report download as a download, everything else as a view."""
    kind = AccessRecord.Kind.DOWNLOAD if part == Part.ASSESSMENT_REPORT else AccessRecord.Kind.VIEW
    return record_access(request, client_id=case.client_id, contact_point_id=case.contact_point_id,
                         what=audit_label(part, case, object_id), kind=kind)
