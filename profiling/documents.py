"""Assessment reports on disk: checked before anything is written, stored under ``settings.DOCUMENTS_ROOT``
(outside any web root) with a generated name, and opened only by name after checking the path stays inside.

Checks (all before a byte is stored):
  * the file name is sane: 1–150 printable characters, no path parts or characters such as < > : " | ? * \\,
    not hidden (no leading dot), ending in .pdf (the name is shown to users, never used as a path);
  * the size is at most ``ASSESSMENT_UPLOAD_MAX_BYTES`` (default 10 MB) and not empty;
  * the content is a PDF: it starts with the magic bytes ``%PDF-`` (the extension proves nothing).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from profiling.errors import ProfilingError

PDF_MAGIC = b"%PDF-"
REPORT_DIR = "assessments"
MAX_NAME_LENGTH = 150
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_BAD_NAME_CHARACTERS = re.compile(r'[/\\<>:"|?*\x00-\x1f\x7f]')
_STORED_NAME = re.compile(rf"^{REPORT_DIR}/[0-9a-f]{{32}}\.pdf$")


def max_report_bytes() -> int:
    return int(getattr(settings, "ASSESSMENT_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


class UploadRejected(ProfilingError):
    """A report that may not be stored; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="report")


@dataclass(frozen=True)
class StoredDocument:
    name: str  # relative to DOCUMENTS_ROOT, e.g. "assessments/3f2a….pdf"
    size: int
    sha256: str


def check_name(name: str) -> None:
    if (
        not name.strip()
        or len(name) > MAX_NAME_LENGTH
        or _BAD_NAME_CHARACTERS.search(name)
        or name.startswith(".")
        or ".." in name
        or not name.lower().endswith(".pdf")
        or not name[:-4].strip()
    ):
        raise UploadRejected(
            _("The file name “%(name)s” is not allowed. Use up to %(max)s characters without path or special "
              "characters (such as < > : \" | ? * \\) and the ending .pdf.")
            % {"name": name[:60], "max": MAX_NAME_LENGTH}
        )


def check_pdf_upload(upload: UploadedFile) -> None:
    """Refuse anything but a sane-named PDF within the size limit; reads only the first bytes."""
    check_name(upload.name or "")
    limit = max_report_bytes()
    size = upload.size or 0
    if size == 0:
        raise UploadRejected(_("The file is empty."))
    if size > limit:
        raise UploadRejected(
            _("The file is too big (%(size)s). At most %(max)s are allowed.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise UploadRejected(_("Only PDF files can be uploaded; this file is not a PDF."))


def documents_root() -> Path:
    return Path(settings.DOCUMENTS_ROOT).resolve()


def path_of(name: str) -> Path:
    """The absolute path of a stored document; refuses anything that is not one of our generated names."""
    if not _STORED_NAME.match(name):
        raise ProfilingError(_("This document does not exist."))
    root = documents_root()
    path = (root / name).resolve()
    if root not in path.parents:  # pragma: no cover - the pattern above already rules this out
        raise ProfilingError(_("This document does not exist."))
    return path


def store_pdf(upload: UploadedFile) -> StoredDocument:
    """Check, then write under a fresh random name (never the user's file name). The size limit is enforced
    again while writing, should the announced size have been wrong; a refused file leaves nothing behind."""
    check_pdf_upload(upload)
    name = f"{REPORT_DIR}/{uuid.uuid4().hex}.pdf"
    path = path_of(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size, limit = hashlib.sha256(), 0, max_report_bytes()
    upload.seek(0)
    try:
        with open(path, "xb") as target:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise UploadRejected(
                        _("The file is too big (%(size)s). At most %(max)s are allowed.")
                        % {"size": filesizeformat(size), "max": filesizeformat(limit)}
                    )
                digest.update(chunk)
                target.write(chunk)
        path.chmod(0o640)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredDocument(name=name, size=size, sha256=digest.hexdigest())


def delete_document(name: str) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)
