"""Files an import refuses whole, each with the words that say why. One list, posted to the
import page (test_import_pages.py) and given to `backcoach import` (test_import_command.py):
the web and the command answer each file alike, because both ask `importer.read_upload`.

Each file is made from a real export ZIP (`build(export_zip)`), so that a damaged or
re-packed one is damaged the way a real download is."""

import io
import json
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from backcoach.portability.export import FORMAT, VERSION
from backcoach.portability.importer import MAX_BYTES, MAX_ZIP_ENTRIES

# What every refusal of backcoach's own FHIR file says: what it is, and what to upload instead.
FHIR_SAYS = ("FHIR", "does not import", "upload the backcoach export", "backcoach.json")
DAMAGED = "This ZIP file is damaged or incomplete: download the export again."


@dataclass(frozen=True)
class Refused:
    build: Callable[[bytes], bytes]
    says: tuple[str, ...]
    name: str = "upload.json"


def member(export_zip: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(export_zip)).read(name)


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def repacked(export_zip: bytes, **changes: bytes | None) -> bytes:
    """The export's members, with some replaced (`backcoach_json=...`) or left out (None)."""
    archive = zipfile.ZipFile(io.BytesIO(export_zip))
    members = {name: archive.read(name) for name in archive.namelist()}
    for key, content in changes.items():
        name = key.replace("_", ".")
        if content is None:
            del members[name]
        else:
            members[name] = content
    return zipped(members)


def with_document(export_zip: bytes, **fields) -> bytes:
    document = json.loads(member(export_zip, "backcoach.json"))
    return json.dumps({**document, **fields}).encode()


def _central_entry(data: bytes, name: bytes) -> int:
    """Where the ZIP's central directory describes `name` (its header, 46 bytes, then the name)."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        (length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + length] == name:
            return at
        at = data.find(b"PK\x01\x02", at + 1)
    raise AssertionError(f"no {name!r} in the ZIP")


def patched(export_zip: bytes, offset: int, value: int) -> bytes:
    """The export ZIP with one field of backcoach.json's directory entry changed: the ZIP
    version it needs at 6, its flags at 8 (1: encrypted, as a ZIP re-packed with a
    password), its method at 10."""
    data = bytearray(export_zip)
    struct.pack_into("<H", data, _central_entry(export_zip, b"backcoach.json") + offset, value)
    return bytes(data)


def misplaced_directory(export_zip: bytes) -> bytes:
    """The export ZIP with its end record placing the directory 100 kB further on than it
    is: every file's place, counted back from there, falls before the ZIP's start."""
    data = bytearray(export_zip)
    end = data.rfind(b"PK\x05\x06")
    (start,) = struct.unpack_from("<I", data, end + 16)
    struct.pack_into("<I", data, end + 16, start + 100_000)
    return bytes(data)


def corrupted(export_zip: bytes) -> bytes:
    """backcoach.json's compressed bytes scrambled, as by a bad disk or a bad copy."""
    info = zipfile.ZipFile(io.BytesIO(export_zip)).getinfo("backcoach.json")
    data = bytearray(export_zip)
    (name_length, extra_length) = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    for at in range(start + 8, start + min(info.compress_size, 64)):
        data[at] ^= 0xFF
    return bytes(data)


def export_of_one_large_member(size: int) -> bytes:
    """A small ZIP whose backcoach.json unpacks to `size` bytes (a ZIP bomb, in little)."""
    head = json.dumps({"format": FORMAT, "version": VERSION, "tables": {}})
    return zipped({"backcoach.json": (head[:-1] + " " * size + "}").encode()})


def refused_cases() -> list:
    """The parameters of a test: (file, what the refusal says), each with its id."""
    cases = {
        "an empty file": Refused(lambda _: b"", ("empty",), "data.csv"),
        "a file of blank lines": Refused(lambda _: b" \r\n\n", ("The file is empty.",), "data.csv"),
        "another format": Refused(
            lambda _: b'{"format": "x"}', ('This is not a backcoach export (its "format"',)
        ),
        "a newer version": Refused(
            lambda _: json.dumps({"format": FORMAT, "version": 2}).encode(),
            ("This export is version 2", f"reads version {VERSION}"),
        ),
        "no version": Refused(
            lambda _: json.dumps({"format": FORMAT, "tables": {}}).encode(),
            ('This export has no "version"', f"reads version {VERSION}"),
        ),
        "no tables": Refused(
            lambda _: json.dumps({"format": FORMAT, "version": VERSION}).encode(),
            ("The export has no tables.",),
        ),
        "a ZIP of version 99": Refused(
            lambda z: repacked(z, backcoach_json=with_document(z, version=99)),
            ("This export is version 99",),
            "backcoach.zip",
        ),
        "backcoach's own fhir.json": Refused(
            lambda z: member(z, "fhir.json"), FHIR_SAYS, "fhir.json"
        ),
        "another app's FHIR resource": Refused(
            lambda _: b'{"resourceType": "Patient", "id": "p1"}', FHIR_SAYS
        ),
        "a FHIR bundle as backcoach.json in a ZIP": Refused(
            lambda z: repacked(z, backcoach_json=member(z, "fhir.json")),
            FHIR_SAYS,
            "backcoach.zip",
        ),
        "a JSON array": Refused(
            lambda z: b"[" + member(z, "backcoach.json") + b"]",
            ('This is not a backcoach export (its "format"',),
        ),
        "a JSON array as backcoach.json in a ZIP": Refused(
            lambda z: repacked(z, backcoach_json=b"[]"),
            ('This is not a backcoach export (its "format"',),
            "backcoach.zip",
        ),
        "broken JSON": Refused(lambda _: b'{"format": ', ("The JSON cannot be read",)),
        "JSON nested too deeply": Refused(
            lambda _: b'{"a": ' * 100_000, ("The JSON cannot be read", "nested too deeply")
        ),
        "a number of 5000 digits": Refused(
            lambda _: b'{"format": ' + b"7" * 5000 + b"}",
            ("The JSON cannot be read", "more than 4300 digits"),
        ),
        "text that is not UTF-8": Refused(
            lambda _: b"day;pain\n2026-01-01;\xe9\n", ("not UTF-8",), "data.csv"
        ),
        "a picture": Refused(
            lambda _: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            ("not UTF-8", "neither a backcoach export nor a CSV"),
            "photo.png",
        ),
        "a CSV with a cell too long to read": Refused(
            lambda _: b"day,pain\n2026-01-01," + b"5" * 200_000 + b"\n",
            ("The CSV cannot be read at line 2",),
            "data.csv",
        ),
        "a truncated ZIP": Refused(lambda z: z[: len(z) // 2], (DAMAGED,), "backcoach.zip"),
        "a ZIP cut short by a few bytes": Refused(lambda z: z[:-10], (DAMAGED,), "backcoach.zip"),
        "a ZIP with its export scrambled": Refused(corrupted, (DAMAGED,), "backcoach.zip"),
        "a ZIP that needs a ZIP version from the future": Refused(
            lambda z: patched(z, 6, 99), (DAMAGED,), "backcoach.zip"
        ),
        "a ZIP whose directory misplaces its files": Refused(
            misplaced_directory, (DAMAGED,), "backcoach.zip"
        ),
        "a file that only starts as a ZIP": Refused(
            lambda _: b"PK\x03\x04xx", (DAMAGED,), "backcoach.zip"
        ),
        "a ZIP re-packed with a password": Refused(
            lambda z: patched(z, 8, 0x01),
            ("protected by a password", "as backcoach made it"),
            "backcoach.zip",
        ),
        "a ZIP packed by an unknown method": Refused(
            lambda z: patched(z, 10, 99),
            ("packed in a way backcoach cannot unpack",),
            "backcoach.zip",
        ),
        "a ZIP without backcoach.json": Refused(
            lambda z: repacked(z, backcoach_json=None),
            ("not a backcoach export (no backcoach.json in it)",),
            "backcoach.zip",
        ),
        "a ZIP of a thousand files more": Refused(
            lambda z: repacked(z, **{f"extra/{n}_txt": b"" for n in range(MAX_ZIP_ENTRIES)}),
            (f"This ZIP holds more than {MAX_ZIP_ENTRIES} files",),
            "backcoach.zip",
        ),
        "a ZIP whose export unpacks too large": Refused(
            lambda _: export_of_one_large_member(MAX_BYTES + 1),
            ("The export in this ZIP is too large to import.",),
            "backcoach.zip",
        ),
    }
    return [pytest.param(case, id=name) for name, case in cases.items()]
