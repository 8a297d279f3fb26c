"""The document store: write-once files under ``settings.DOCUMENTS_ROOT`` with their SHA-256 (lowest layer; plans
and reporting use it).

* ``store`` writes bytes once: the file is named by its SHA-256 (``<kind>/<aa>/<sha256>.<ext>``), written to a
  temporary file in the same directory, flushed to disk and renamed into place (atomic on POSIX), so a reader
  never sees half a file and a crash leaves at most a stray temporary file. The row's ``key`` is unique: storing
  under a key that exists returns the existing document and writes nothing — a task run twice stores once.
* ``read`` returns the bytes after checking size and SHA-256 (a changed or truncated file is refused).
* ``download_response`` serves a document as an attachment with ``X-Content-Type-Options: nosniff`` and no
  caching; the caller states whether the user may have it (``allowed``) and logs the access
  (``jobcenter.access_log.shown``).
* ``delete`` removes a document at the end of its retention period (the only way a file goes away).
* ``removed_on_failure`` wraps a transaction that stores: when it fails, the files ``store`` wrote in it go again
  (their rows were rolled back), so a refused or failed write never leaves a file without its row.
* ``check_pdf_upload`` validates an uploaded PDF (size limit, magic bytes ``%PDF-``) before a byte is stored.

DOCUMENTS_ROOT lies outside any web root; files are reachable only through views that check permissions.

Where the bytes are kept is ``settings.DOCUMENT_STORAGE`` (ADR 0007): ``filesystem`` (files as above, one host) or
``database`` (a ``StoredBlob`` row per storage path, written in the same transaction as the document's row, so
every web and worker host sees the same documents and ``pg_dump`` takes them). The functions above behave alike
with both; ``read`` verifies size and SHA-256 either way.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from jobcenter.errors import DomainError
from jobcenter.models_documents import StoredBlob, StoredDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User

PDF_MAGIC = b"%PDF-"
DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
_SAFE_KIND = re.compile(r"^[a-z0-9_.-]{1,60}$")
_SAFE_EXT = re.compile(r"^[a-z0-9]{1,8}$")
_UNSAFE_FILENAME = re.compile(r'[^\w.\- ]', re.UNICODE)
# The files ``store`` wrote inside the innermost ``removed_on_failure`` block (None outside one).
_written: ContextVar[list[str] | None] = ContextVar("documents_written", default=None)


class DocumentError(DomainError):
    """A document that cannot be stored or read."""


def root() -> Path:
    return Path(settings.DOCUMENTS_ROOT)


def in_database() -> bool:
    """Whether the bytes are kept in PostgreSQL (``DOCUMENT_STORAGE=database``, ADR 0007) instead of files."""
    return getattr(settings, "DOCUMENT_STORAGE", "filesystem") == "database"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _absolute(relative: str) -> Path:
    """The file of a stored path; refuses anything that would leave DOCUMENTS_ROOT."""
    base = root().resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise DocumentError(_("The document path is not valid."))
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def safe_filename(name: str) -> str:
    """A download name without path parts or characters that could break the Content-Disposition header."""
    cleaned = _UNSAFE_FILENAME.sub("_", Path(name).name).strip(" .") or "dokument"
    return cleaned[:150]


def store(
    *,
    key: str,
    kind: str,
    data: bytes,
    filename: str,
    content_type: str = "application/pdf",
    extension: str = "pdf",
    created_by: AbstractBaseUser | None = None,
) -> StoredDocument:
    """Store ``data`` once under ``key``; an existing document under ``key`` is returned unchanged."""
    existing = StoredDocument.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not _SAFE_KIND.match(kind) or not _SAFE_EXT.match(extension):
        raise ValueError(f"unsafe document kind or extension: {kind!r} {extension!r}")
    if not data:
        raise DocumentError(_("An empty file cannot be stored."))
    digest = sha256_of(data)
    relative = f"{kind}/{digest[:2]}/{digest}.{extension}"
    written = _written.get()
    if in_database():
        if written is not None:  # rolled back with the transaction anyway; removed here when stored outside one
            written.append(relative)
    else:
        path = _absolute(relative)
        if not (path.exists() and path.stat().st_size == len(data) and sha256_of(path.read_bytes()) == digest):
            _write_atomically(path, data)
            if written is not None:
                written.append(relative)
    try:
        with transaction.atomic():
            if in_database():  # in the row's transaction: both or neither
                _put_blob(relative, data, digest)
            return StoredDocument.objects.create(
                key=key, kind=kind, path=relative, filename=safe_filename(filename), content_type=content_type,
                size=len(data), sha256=digest,
                created_by=cast("User | None", created_by),  # the user model is Django's User
            )
    except IntegrityError:  # another run stored it in the meantime; the file (same content) is shared or spare
        return StoredDocument.objects.get(key=key)


def _put_blob(relative: str, data: bytes, digest: str) -> None:
    """Keep ``data`` in the database under its storage path, once (identical content shares the row)."""
    StoredBlob.objects.bulk_create(
        [StoredBlob(path=relative, content=data, size=len(data), sha256=digest)], ignore_conflicts=True)


def _read_bytes(relative: str) -> bytes | None:
    """The stored bytes under ``relative`` (None when there are none), from the configured backend."""
    if in_database():
        content = StoredBlob.objects.filter(path=relative).values_list("content", flat=True).first()
        return None if content is None else bytes(content)
    try:
        return _absolute(relative).read_bytes()
    except FileNotFoundError:
        return None


def read(document: StoredDocument) -> bytes:
    """The document's bytes, verified against its size and SHA-256."""
    data = _read_bytes(document.path)
    if data is None:
        raise DocumentError(_("The document file is missing."))
    if len(data) != document.size or sha256_of(data) != document.sha256:
        raise DocumentError(_("The document file does not match its checksum."))
    return data


def download_response(
    request: HttpRequest,
    document: StoredDocument | None,
    *,
    allowed: bool,
) -> FileResponse:
    """Serve ``document`` as a download after the caller's permission check (``allowed``). 404 when there is no
    document, 403 when not allowed. A document about a client: the view logs it (``jobcenter.access_log.shown``)."""
    if not allowed:
        raise PermissionDenied
    if document is None:
        raise Http404
    try:
        data = read(document)
    except DocumentError:
        raise Http404 from None
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=document.filename, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(document.size)
    return response


def restore_file(relative: str, data: bytes) -> None:
    """Put a file back at its stored path (``jobcenter.backup.restore``); the path is checked like any other."""
    if in_database():
        digest = sha256_of(data)
        if (existing := _read_bytes(relative)) is not None and sha256_of(existing) == digest:
            return
        with transaction.atomic():
            StoredBlob.objects.filter(path=relative).delete()
            _put_blob(relative, data, digest)
        return
    path = _absolute(relative)
    if not (path.exists() and sha256_of(path.read_bytes()) == sha256_of(data)):
        _write_atomically(path, data)


def delete(document: StoredDocument) -> None:
    """Remove a document at the end of its retention: the row now, the file after the commit unless another row
    shares it (same content). Callers first drop their references to the row."""
    path = document.path
    document.delete()
    transaction.on_commit(lambda: _remove_unreferenced(path))


def _remove_unreferenced(relative: str) -> None:
    """Remove a stored file unless a document row (same content) still points at it."""
    if StoredDocument.objects.filter(path=relative).exists():
        return
    if in_database():
        StoredBlob.objects.filter(path=relative).delete()
    else:
        _absolute(relative).unlink(missing_ok=True)


@contextmanager
def removed_on_failure() -> Iterator[None]:
    """Around a transaction that stores documents: should it fail, the files ``store`` wrote in it are removed
    again unless another document shares them. Put it outside the ``atomic`` block, so the rows are gone first."""
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for relative in written:
            _remove_unreferenced(relative)
        raise
    finally:
        _written.reset(token)


def upload_max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def check_pdf_upload(upload: UploadedFile, *, max_bytes: int | None = None) -> bytes:
    """Read an uploaded PDF after checking its size and its first bytes (the extension proves nothing)."""
    limit = max_bytes or upload_max_bytes()
    if not upload.size:
        raise DocumentError(_("The file is empty."))
    if upload.size > limit:
        raise DocumentError(_("The file is too large (at most %(limit)s).") % {"limit": filesizeformat(limit)})
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    if head != PDF_MAGIC:
        raise DocumentError(_("Only PDF files can be uploaded; this file is not a PDF."))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the reported size lied
        raise DocumentError(_("The file is too large (at most %(limit)s).") % {"limit": filesizeformat(limit)})
    return data
