"""Writing a person's tables out: a ZIP of CSV files with the JSON document beside them,
the JSON document alone, or the measures as a FHIR R4 Bundle. Each is a stream of bytes
produced a chunk of rows at a time: a download of five years starts at once and takes
no more memory than one of a week."""

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterator

from django.utils import timezone

from . import fhir
from .tables import TABLES, cell, plain

FORMAT = "backcoach-export"
VERSION = 1
README = """backcoach export
================

Everything backcoach holds about you, on {date}.

backcoach.json   all of it in one JSON document (the file `backcoach import` reads back)
fhir.json        your measures (pain, PEG-3, sleep, fingertip-to-floor) as a FHIR R4 Bundle
*.csv            one table per file, for a spreadsheet:
{tables}
Times are in UTC (ISO 8601). A text cell that a spreadsheet would run as a formula starts
with an apostrophe, which backcoach's import takes off again.
"""

Progress = Callable[[str, int], None]


class Sink(io.RawIOBase):
    """A file that zipfile writes into and the response reads out of, chunk by chunk."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def json_document(person, progress: Progress | None = None) -> Iterator[str]:
    """The whole export as one JSON object, written table by table, row by row."""
    head = {"format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "tables": {'
    for index, table in enumerate(TABLES):
        yield ("," if index else "") + f"\n{json.dumps(table.name)}: ["
        for count, row in enumerate(table.rows(person)):
            record = {column: plain(row[column]) for column in table.columns}
            # allow_nan=False: plain() made every number finite, and JSON has no NaN.
            line = json.dumps(record, ensure_ascii=False, allow_nan=False)
            yield ("," if count else "") + "\n  " + line
            if progress and count % 500 == 0:
                progress(table.name, count)
        yield "\n]"
    yield "\n}}\n"


def csv_rows(table, person) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows(person):
        writer.writerow([cell(row[column]) for column in table.columns])
        if out.tell() > 64 * 1024:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def zip_stream(person, progress: Progress | None = None) -> Iterator[bytes]:
    """The ZIP, as the bytes of it are ready. zipfile can write to a stream that cannot
    seek (it then puts each file's sizes after its data), which is what lets it flow."""
    sink = Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        listing = "".join(f"  {t.name}.csv: {t.description}\n" for t in TABLES)
        readme = README.format(date=dt.date.today().isoformat(), tables=listing)
        archive.writestr("README.txt", readme)
        yield sink.take()
        for name, parts in (
            ("backcoach.json", json_document(person, progress)),
            ("fhir.json", fhir.bundle(person)),
            *((f"{t.name}.csv", csv_rows(t, person)) for t in TABLES),
        ):
            with archive.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part.encode())
                    yield sink.take()
    yield sink.take()
