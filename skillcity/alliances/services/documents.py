"""Charter, cooperation agreement and business licences: stored under MEDIA_ROOT, named by their
SHA-256, with size, type, uploader and time; served only through the access-checked download view."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from skillcity.alliances.models import Alliance, AllianceDocument, AllianceStatus, DocumentKind
from skillcity.alliances.services.common import record_event
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.uploads import read_upload, upload_max_bytes
from skillcity.registry.models import Organisation

# Extension → (content type, leading bytes the file must start with, or b"" for no check).
ALLOWED_TYPES: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF"),
    "png": ("image/png", b"\x89PNG"),
    "jpg": ("image/jpeg", b"\xff\xd8"),
    "jpeg": ("image/jpeg", b"\xff\xd8"),
    "ofd": ("application/ofd", b"PK"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    "doc": ("application/msword", b"\xd0\xcf\x11\xe0"),
    "txt": ("text/plain", b""),
}


@dataclass(frozen=True)
class UploadedDocument:
    name: str
    content: bytes

    @classmethod
    def from_django(cls, upload: Any, *, field: str = "file", label: str = "") -> UploadedDocument:
        """The upload's bytes, refused unread when it is over the upload limit."""
        label = label or _("文件")
        return cls(name=str(upload.name), content=read_upload(upload, field=field, label=label))


def _check(upload: UploadedDocument, field: str) -> tuple[str, str]:
    name = upload.name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ALLOWED_TYPES:
        raise DomainError(
            "invalid_file",
            _("文件“%(name)s”的类型不受支持，请上传 PDF、OFD、Word、图片或文本文件") % {"name": name},
            {field: _("文件类型不受支持（%(types)s）") % {"types": "、".join(sorted(ALLOWED_TYPES))}},
        )
    if not upload.content:
        raise DomainError("invalid_file", _("文件“%(name)s”是空文件") % {"name": name}, {field: _("空文件")})
    if len(upload.content) > upload_max_bytes():
        message = _("文件超过 %(mb)s MB 上限") % {"mb": settings.UPLOAD_MAX_MB}
        raise DomainError(
            "upload_too_large",
            _("文件“%(name)s”超过 %(mb)s MB 上限") % {"name": name, "mb": settings.UPLOAD_MAX_MB},
            {field: message},
            status=413,
        )
    content_type, magic = ALLOWED_TYPES[suffix]
    if magic and not upload.content.startswith(magic):
        raise DomainError(
            "invalid_file",
            _("文件“%(name)s”的内容与扩展名不符") % {"name": name},
            {field: _("内容与扩展名不符")},
        )
    return name, content_type


@transaction.atomic
def document_upload(
    *,
    alliance: Alliance,
    kind: str,
    upload: UploadedDocument,
    actor: Any,
    organisation: Organisation | None = None,
) -> AllianceDocument:
    if kind not in DocumentKind.values:
        raise DomainError(
            "invalid",
            _("未知材料类别"),
            {"kind": _("应为 %(kinds)s") % {"kinds": "、".join(map(str, DocumentKind.labels))}},
        )
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if alliance.status in (AllianceStatus.FILED, AllianceStatus.DISSOLVED):
        raise Conflict(
            "invalid_state",
            _("联盟当前状态为“%(status)s”，不能上传材料") % {"status": alliance.get_status_display()},
        )
    name, content_type = _check(upload, kind)
    document = AllianceDocument(
        alliance=alliance,
        kind=kind,
        organisation=organisation,
        original_name=name,
        sha256=hashlib.sha256(upload.content).hexdigest(),
        size=len(upload.content),
        content_type=content_type,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The file is written before the row; if the transaction then rolls back, an unreferenced file
    # named by its hash is left behind, never a row without its file.
    document.file.save(name, ContentFile(upload.content), save=False)
    document.save()
    record_event(
        alliance,
        actor,
        "document_upload",
        N_("上传%(kind_label)s：%(name)s（SHA-256 %(sha)s…）"),
        kind_label=str(document.get_kind_display()),
        name=name,
        sha=document.sha256[:12],
    )
    audit_record(actor=actor, action="alliance.document_upload", target=document, after=snapshot(document))
    return document
