"""`backcoach export --person EMAIL --format zip|json|fhir --to FILE`: everything a person
owns, as the download in "Your data" gives it."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backcoach.accounts.models import Person, normalize_email
from backcoach.management.commands._progress import ProgressLine
from backcoach.portability import export, fhir


class Command(BaseCommand):
    help = "Export everything a person owns: a ZIP of CSV files and JSON, JSON, or FHIR."

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, help="the person's e-mail address")
        parser.add_argument("--format", choices=("zip", "json", "fhir"), default="zip")
        parser.add_argument("--to", required=True, help="the file to write ('-': standard output)")
        parser.add_argument("--force", action="store_true", help="replace the file if it exists")

    def handle(self, *args, person, format, to, force, **options):
        found = Person.objects.filter(email__iexact=normalize_email(person)).first()
        if found is None:
            raise CommandError(f"no person with the e-mail address {person}")
        total = found.practices.count() + found.checkins.count()
        line = ProgressLine(f"Exporting {found.email}", stream=sys.stderr)

        def progress(table: str, rows: int) -> None:
            done = rows if table == "practices" else found.practices.count() + rows
            line(min(done, total), total)

        if format == "zip":
            parts = export.zip_stream(found, progress)
        elif format == "json":
            parts = (p.encode() for p in export.json_document(found, progress))
        else:
            parts = (p.encode() for p in fhir.bundle(found))
        if to == "-":
            for part in parts:
                sys.stdout.buffer.write(part)
            sys.stdout.buffer.flush()
            return
        target = Path(to)
        if target.exists() and not force:
            raise CommandError(f"{to} exists; add --force to replace it")
        partial = target.with_name(f".{target.name}.partial")
        try:
            with partial.open("wb") as out:
                for part in parts:
                    out.write(part)
            os.replace(partial, target)
        except OSError:
            partial.unlink(missing_ok=True)
            raise
        line.finish()
        self.stdout.write(f"Wrote {target} ({target.stat().st_size:,} bytes).")
