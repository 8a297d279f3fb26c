"""The read audit of the sensitive parts (Sozialanamnese, assessment result, assessment report), written to the
project's access log (``jobcenter.access_log``, label "%(part)s, case %(case)s"). ``what`` names the part and the
case in the default language (German), so the readings of one part can be found again whatever language the reader
used. A page shown without its content (to someone without need-to-know) is logged as such a page, not as a reading."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from jobcenter import access_log


class Part(models.TextChoices):
    SOCIAL_HISTORY = "social_history", gettext_lazy("Social history")
    ASSESSMENT = "assessment", gettext_lazy("Assessment result")
    ASSESSMENT_REPORT = "assessment_report", gettext_lazy("Assessment report (PDF)")
    SOCIAL_HISTORY_PAGE = "social_history_page", gettext_lazy("Page without content: social history")
    ASSESSMENT_PAGE = "assessment_page", gettext_lazy("Page without content: assessment")


def audit_label(part: str, case: Case, object_id: int | None = None) -> str:
    """E.g. "Sozialanamnese, Fall 17" or "Assessment-Bericht (PDF) 4, Fall 17" (always the default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Part(part).label)
        if object_id is not None and part != Part.SOCIAL_HISTORY:
            label = f"{label} {object_id}"
        return _("%(part)s, case %(case)s") % {"part": label, "case": case.pk}


def record_read(request: HttpRequest, *, case: Case, part: str, object_id: int | None = None) -> None:
    """The page shows ``part`` of ``case``: one entry in the access log (its URL declares view or download)."""
    label = Part(part).label
    if object_id is not None and part not in (Part.SOCIAL_HISTORY, Part.SOCIAL_HISTORY_PAGE):
        label = format_lazy("{} {}", label, object_id)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, part=label, case=case.pk)
