"""`backcoach import --person EMAIL FILE`: a backcoach export (ZIP, JSON or checkins.csv),
or a plain CSV of pain ratings with --date-column and --pain-column. Every row is checked
first; with any problem nothing is imported and each problem is listed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backcoach.accounts.models import Person, normalize_email
from backcoach.management.commands._progress import ProgressLine
from backcoach.portability import importer, services


class Command(BaseCommand):
    help = "Import a backcoach export, or a CSV of dated pain ratings, into a person's data."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export (ZIP, JSON, checkins.csv) or a CSV")
        parser.add_argument("--person", required=True, help="the person's e-mail address")
        parser.add_argument("--dry-run", action="store_true", help="check only; import nothing")
        parser.add_argument("--date-column", default="", help="plain CSV: the date's column")
        parser.add_argument("--pain-column", default="", help="plain CSV: the pain's column")
        parser.add_argument("--note-column", default="", help="plain CSV: a note's column")
        parser.add_argument("--time-column", default="", help="plain CSV: the time's column")
        parser.add_argument(
            "--date-format", default="YYYY-MM-DD", choices=list(importer.DATE_FORMATS)
        )

    def handle(self, *args, file, person, dry_run, **options):
        found = Person.objects.filter(email__iexact=normalize_email(person)).first()
        if found is None:
            raise CommandError(f"no person with the e-mail address {person}")
        path = Path(file)
        try:
            if path.stat().st_size > importer.MAX_BYTES:
                raise CommandError(f"{file} is larger than {importer.MAX_BYTES // 2**20} MB")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        mapping = None
        if options["date_column"] or options["pain_column"]:
            mapping = services.Mapping(
                date=options["date_column"],
                pain=options["pain_column"],
                note=options["note_column"],
                time=options["time_column"],
                date_format=options["date_format"],
            )
        line = ProgressLine(f"Importing into {found.email}")
        try:
            report = services.data_import(person=found, data=data, mapping=mapping, dry_run=dry_run)
        except importer.ImportRefused as exc:
            message = str(exc)
            if "say which columns" in message:
                message += " (--date-column and --pain-column)"
            raise CommandError(message) from None
        line.finish()
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(report.problems)} problem(s); nothing was imported", returncode=2
            )
        counts = ", ".join(f"{n} {table}" for table, n in report.counts.items() if n)
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {counts or 'nothing'}.")
        for note in report.notes:
            self.stdout.write(note)
