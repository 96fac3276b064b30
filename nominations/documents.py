"""What an uploaded terms-of-reference file must be: a real PDF of at most 5 MB. Pure."""

from __future__ import annotations

from nominations.errors import NominationsError

PDF_LIMIT = 5 * 1024 * 1024  # bytes: "5 MB" as a computer shows a file's size
PDF_MAGIC = b"%PDF-"


class DocumentError(NominationsError):
    """An upload that is not what the form asks for; the message says what to do instead."""


def check_pdf(content: bytes) -> None:
    """Refuse an empty file, one over PDF_LIMIT, and anything that does not start as a PDF does."""
    if not content:
        raise DocumentError("The file you chose is empty. Choose the PDF of the terms of reference")
    if len(content) > PDF_LIMIT:
        raise DocumentError("The PDF must be 5 MB or smaller. Paste the terms of reference as text instead")
    if not content.startswith(PDF_MAGIC):
        raise DocumentError(
            "The file you chose is not a PDF. Save the terms of reference as a PDF, or paste them as text"
        )


def safe_filename(name: str) -> str:
    """The file's own name without any folder a browser sent with it, kept short."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in base if ch.isprintable())[:200] or "terms-of-reference.pdf"
