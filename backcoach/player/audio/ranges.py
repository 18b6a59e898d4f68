"""Which bytes a `Range` header asks for (RFC 9110, section 14). Pure Python.

Safari fetches audio only in ranges, and every browser's seek in a long track is one. A
single byte range is served; anything else this server may ignore (RFC 9110 lets it),
and then the whole file is sent: several ranges at once, another unit, a header that
does not parse.
"""

import re

# "bytes=0-99", "bytes=100-", "bytes=-500" (the last 500 bytes); spaces allowed around.
# Numbers of up to 15 digits, as the service worker (sw.js) reads them exactly too; longer
# ones make the header one this server ignores.
SINGLE = re.compile(r"\s*bytes\s*=\s*(?:(\d{1,15})\s*-\s*(\d{0,15})|-\s*(\d{1,15}))\s*")


class Unsatisfiable(Exception):
    """The range lies wholly past the end of the file: answered with 416."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) that `header` asks for in a file of `size`
    bytes, or None to send the whole file. Raises Unsatisfiable for a range past its end."""
    if not header:
        return None
    match = SINGLE.fullmatch(header)
    if match is None:
        return None
    first, last, suffix = match.groups()
    if suffix is not None:
        length = int(suffix)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a valid range: ignored, as RFC 9110 allows
    if start >= size:
        raise Unsatisfiable
    return start, min(int(last), size - 1) if last else size - 1
