"""A lesson's uploaded content: its real type read from its first bytes, its size bounded by kind.

The extension and the browser's content type are what the uploader claims; the first bytes are what
the file is. A video must be MP4 (an ISO base media file: `ftyp` at byte 4) or WebM (the EBML magic
1A 45 DF A3), a document a PDF (`%PDF-`). Videos may pass the platform's general upload limit, so
the lesson upload paths raise it for themselves (skillcity.core.uploads.upload_limit_for_path).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from skillcity.core.errors import DomainError
from skillcity.core.uploads import allow_larger_uploads
from skillcity.learning.models import LessonKind

MB = 1024 * 1024
VIDEO_MAX_MB = 200
DOCUMENT_MAX_MB = 20
MAX_MB: dict[str, int] = {LessonKind.VIDEO: VIDEO_MAX_MB, LessonKind.DOCUMENT: DOCUMENT_MAX_MB}
# The pages and API paths that take a lesson's file (their uploads may reach VIDEO_MAX_MB).
UPLOAD_PATHS = ("/learning/provider/", "/api/v1/learning/provider/")
for _prefix in UPLOAD_PATHS:
    allow_larger_uploads(_prefix, VIDEO_MAX_MB * MB)


@dataclass(frozen=True)
class MediaType:
    extension: str
    content_type: str
    kind: str


MP4 = MediaType("mp4", "video/mp4", LessonKind.VIDEO)
WEBM = MediaType("webm", "video/webm", LessonKind.VIDEO)
PDF = MediaType("pdf", "application/pdf", LessonKind.DOCUMENT)
ACCEPTED: dict[str, str] = {LessonKind.VIDEO: "MP4、WebM", LessonKind.DOCUMENT: "PDF"}


def sniff(head: bytes) -> MediaType | None:
    """The type the first bytes of a file show, or None for anything else."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def checked_media(upload: Any, *, kind: str, field: str = "media") -> MediaType:
    """The type of an uploaded lesson file, refused (naming `field`) when it is empty, too large, or
    not what a lesson of `kind` takes whatever its name says."""
    label = _("课时内容")
    accepted = ACCEPTED.get(kind)
    if accepted is None:
        message = _("测验课时不上传文件")
        raise DomainError("media_not_taken", message, {field: message})
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        message = _("%(l)s是空文件") % {"l": label}
        raise DomainError("invalid_media", message, {field: message})
    limit = MAX_MB[kind]
    if size > limit * MB:
        message = _("%(l)s超过 %(n)s MB 上限，未读取") % {"l": label, "n": limit}
        raise DomainError("upload_too_large", message, {field: message}, status=413)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head)
    if found is None or found.kind != kind:
        name = str(getattr(upload, "name", "") or "")[-60:]
        message = _("%(l)s“%(n)s”不是 %(t)s 文件（按文件内容判断，不看扩展名）") % {
            "l": label,
            "n": name,
            "t": accepted,
        }
        raise DomainError("invalid_media", message, {field: message})
    return found


def stored_name(media: MediaType) -> str:
    """A file name of the platform's own (the uploader's name is not used on disk)."""
    return f"{uuid.uuid4().hex}.{media.extension}"
