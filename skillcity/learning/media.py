"""A lesson's file, streamed with HTTP range requests (RFC 9110 §14): players seek in a video by asking
for the bytes they need, and a phone on a poor network resumes where it stopped.

Our own small response rather than a library (D-51): the Django range packages are unmaintained since
2017, WhiteNoise serves ranges for public static files only, and lesson files are served after an
access check, by the platform itself (no CDN, no X-Sendfile front server in the default deployment).
One range per request (`bytes=a-b`, `bytes=a-`, `bytes=-n`); a request for several ranges gets the
whole file, which RFC 9110 allows a server to do. The file is read in chunks, never whole.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import HttpResponse, StreamingHttpResponse

CHUNK_BYTES = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$")


class Unsatisfiable(Exception):
    """A range that lies wholly past the end of the file (answered 416)."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte positions, inclusive, of a single-range header; None to send the whole
    file (no header, a form we do not serve such as several ranges, or a malformed one: RFC 9110 says
    to ignore a Range header that cannot be parsed). Raises Unsatisfiable."""
    match = _RANGE.match(header or "")
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # a suffix: the last n bytes
        length = int(last_text)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    first = int(first_text)
    if first >= size:
        raise Unsatisfiable
    last = int(last_text) if last_text else size - 1
    if last < first:
        return None
    return first, min(last, size - 1)


def _chunks(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK_BYTES, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file_response(
    media: FieldFile, *, range_header: str, content_type: str = ""
) -> HttpResponse | StreamingHttpResponse:
    """200 with the whole file, 206 with the asked range, or 416 when the range is past the end."""
    size = media.size
    content_type = content_type or mimetypes.guess_type(media.name or "")[0] or "application/octet-stream"
    try:
        wanted = parse_range(range_header, size)
    except Unsatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    first, last = wanted if wanted is not None else (0, size - 1)
    length = max(0, last - first + 1)
    handle = media.storage.open(str(media.name), "rb")
    response = StreamingHttpResponse(
        _chunks(handle, first, length), status=206 if wanted else 200, content_type=content_type
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted is not None:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    # The learner's own copy may be kept by their browser; never by a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
