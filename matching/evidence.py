"""Evidence files of outcomes (PDF, PNG, JPEG): what is accepted, and how it is
served. The kind is read from the file's first bytes, never from the name or the
content type a browser sent, both when it is uploaded and when it is served."""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# (first bytes, content type, extension)
KINDS = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def kind_of(file) -> tuple[str, str] | None:
    """(content type, extension) of an evidence file by its first bytes, or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for signature, content_type, extension in KINDS:
        if head.startswith(signature):
            return content_type, extension
    return None


def named_for(name: str, extension: str) -> str:
    """`name` with the extension of what the file is: the name before its first dot
    (no second extension survives: `invoice.pdf.exe` → `invoice.pdf`)."""
    stem = PurePosixPath(name or "").name.split(".", 1)[0][:80] or "evidence"
    return f"{stem}.{extension}"


def evidence_response(outcome) -> FileResponse:
    """Download an outcome's evidence, as an attachment (never shown inline), typed
    by its content. The caller has fetched `outcome` through
    outcomes_visible_to(user): staff, the placement's company, its researcher."""
    return file_response(outcome.evidence, _("No evidence was attached to this outcome."))


def file_response(field_file, missing: str) -> FileResponse:
    """A checked file (evidence, a service day's photo) as an attachment typed by its
    first bytes; a 404 saying `missing` when there is none or it changed on disk."""
    if not field_file:
        raise Http404(missing)
    try:
        file = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    kind = kind_of(file)
    if kind is None:  # changed on disk since it was checked: serve nothing
        file.close()
        raise Http404(missing)
    content_type, extension = kind
    response = FileResponse(file, as_attachment=True, content_type=content_type,
                            filename=named_for(field_file.name.rsplit("/", 1)[-1], extension))
    response["X-Content-Type-Options"] = "nosniff"
    return response
