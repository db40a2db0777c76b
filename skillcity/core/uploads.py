"""Bounds on every upload: its size, and for an .xlsx what it unpacks to, checked before it is read.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds a request body *without* its files, and
FILE_UPLOAD_MAX_MEMORY_SIZE only decides when an upload goes from memory to a temporary file: neither
caps a file. Here:

- `UploadLimitHandler`, the first upload handler, stops passing a file's bytes on once it has passed
  `UPLOAD_MAX_BYTES`: the server never stores more than the limit and one chunk of any file;
- `read_upload` / `check_upload_size` / `UploadField` refuse such a file (its recorded size is then
  over the limit) with a message naming the field, before anything reads it;
- `open_xlsx` refuses an .xlsx from its zip's central directory alone (total uncompressed size, size
  of the shared strings) and from a streamed count of each sheet's rows, before openpyxl unpacks it;
  an 870 KB file whose shared strings unpack to 300 MB never reaches openpyxl. Python's zipfile
  never inflates an entry past the size the directory declares (a lying entry fails its CRC), so the
  declared sizes bound what is read.
- `formula_cells` lists the cells of a sheet holding a formula: imports take values, not formulas.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any, BinaryIO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from openpyxl import Workbook, load_workbook

from skillcity.core.errors import DomainError

MB = 1024 * 1024
# A workbook the platform accepts has a handful of parts; thousands are a parser-load attack.
XLSX_MAX_ENTRIES = 1000
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def upload_max_bytes() -> int:
    return int(settings.UPLOAD_MAX_MB) * MB


# Paths whose uploads may pass the general limit (a course's video lessons): prefix → bytes. The
# view behind such a path checks its own, narrower limit per file (skillcity.learning).
_PATH_LIMITS: dict[str, int] = {}


def allow_larger_uploads(prefix: str, max_bytes: int) -> None:
    """Let uploads to paths under `prefix` reach `max_bytes` through UploadLimitHandler."""
    _PATH_LIMITS[prefix] = max_bytes


def upload_limit_for_path(path: str) -> int:
    limits = [size for prefix, size in _PATH_LIMITS.items() if path.startswith(prefix)]
    return max([upload_max_bytes(), *limits])


class UploadLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: the handlers after it get no bytes past the limit (plus one chunk,
    so that what they store is over the limit and the file is refused, never silently cut short)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        path = str(getattr(self.request, "path", "") or "")
        return raw_data if start <= upload_limit_for_path(path) else None

    def file_complete(self, file_size: int) -> None:
        return None


def _too_large(field: str, label: str) -> DomainError:
    message = f"{label}超过 {settings.UPLOAD_MAX_MB} MB 上限，未读取"
    return DomainError("upload_too_large", message, {field: message}, status=413)


def check_upload_size(upload: UploadedFile, *, field: str = "file", label: str = "文件") -> None:
    if upload.size is not None and upload.size > upload_max_bytes():
        raise _too_large(field, label)


def read_upload(upload: UploadedFile, *, field: str = "file", label: str = "文件") -> bytes:
    """The bytes of an upload within the size limit; refused, unread, otherwise."""
    check_upload_size(upload, field=field, label=label)
    return upload.read()


class UploadField(forms.FileField):
    """A form's file field that refuses a file over the upload limit, naming itself."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, UploadedFile) and value.size is not None and value.size > upload_max_bytes():
            raise forms.ValidationError(f"{self.label}超过 {settings.UPLOAD_MAX_MB} MB 上限，未读取")


# --- .xlsx ----------------------------------------------------------------------------------------


def _xlsx_refusal(field: str, label: str, reason: str) -> DomainError:
    message = f"{label}{reason}，未读取"
    return DomainError("xlsx_too_large", message, {field: message}, status=413)


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """Rows of one sheet, counted from the XML stream in constant memory; stops past `limit`."""
    count, tail = 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 16):
            buffer = tail + chunk
            # A tag split across two chunks is counted once: only matches ending in the new chunk.
            count += sum(1 for m in _ROW_TAG.finditer(buffer) if m.end() > len(tail))
            if count > limit:
                return count
            tail = buffer[-32:]
    return count


def check_xlsx(
    content: bytes,
    *,
    field: str = "file",
    label: str = "文件",
    unreadable: str = "无法读取该 .xlsx 文件",
    reason: str = "文件损坏或不是 .xlsx",
) -> None:
    """Refuse an .xlsx whose unpacked size, shared strings or rows pass the limits, before unpacking."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise DomainError("invalid_file", unreadable, {field: reason}) from None
    with archive:
        if len(entries) > XLSX_MAX_ENTRIES:
            raise _xlsx_refusal(field, label, f"包含的部件超过 {XLSX_MAX_ENTRIES} 个")
        total = sum(info.file_size for info in entries)
        if total > settings.XLSX_MAX_UNCOMPRESSED_MB * MB:
            raise _xlsx_refusal(
                field,
                label,
                f"解压后约 {total // MB} MB，超过 {settings.XLSX_MAX_UNCOMPRESSED_MB} MB 上限",
            )
        shared = sum(
            info.file_size for info in entries if info.filename.lower().endswith("sharedstrings.xml")
        )
        if shared > settings.XLSX_MAX_SHARED_STRINGS_MB * MB:
            raise _xlsx_refusal(
                field,
                label,
                f"的共享字符串解压后约 {shared // MB} MB，超过 {settings.XLSX_MAX_SHARED_STRINGS_MB} MB 上限",
            )
        sheets = [i for i in entries if re.fullmatch(r"xl/worksheets/[^/]+\.xml", i.filename, re.IGNORECASE)]
        for number, info in enumerate(sheets, start=1):
            try:
                rows = _count_rows(archive, info, settings.XLSX_MAX_ROWS)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                raise DomainError("invalid_file", unreadable, {field: reason}) from None
            if rows > settings.XLSX_MAX_ROWS:
                raise _xlsx_refusal(field, label, f"第 {number} 张工作表超过 {settings.XLSX_MAX_ROWS} 行上限")


def open_xlsx(
    content: bytes | BinaryIO,
    *,
    read_only: bool = True,
    field: str = "file",
    label: str = "文件",
    unreadable: str = "无法读取该 .xlsx 文件",
    reason: str = "文件损坏或不是 .xlsx",
) -> Workbook:
    """The workbook of an uploaded .xlsx after `check_xlsx`; formulas are kept as formulas (not
    their cached values) so that an import can refuse them with `formula_cells`."""
    data = content if isinstance(content, bytes) else content.read()
    check_xlsx(data, field=field, label=label, unreadable=unreadable, reason=reason)
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise DomainError("invalid_file", unreadable, {field: reason}) from None


def formula_cells(rows: Iterable[Iterable[Any]]) -> list[tuple[int, int]]:
    """(row, column), 1-based, of every formula cell in `rows` (cells from `sheet.iter_rows()`)."""
    found = []
    for row in rows:
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                found.append((int(cell.row), int(cell.column)))
    return found
