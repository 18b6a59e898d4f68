import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from backcoach import backups

from ._progress import ProgressLine


def people_in_current_database() -> int:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM accounts_person")
            return cursor.fetchone()[0]
    except DatabaseError:
        return 0  # no tables yet: an empty database


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `backcoach backup`."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="the backup file")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args, source, force, **options):
        source = Path(source).expanduser().resolve()
        database = settings.DATABASES["default"]
        try:
            engine = backups.engine_of(database)
            kind = backups.file_kind(source)
            if kind != engine:
                raise CommandError(
                    f"{source} is a {kind} backup but this install uses {engine}; "
                    f"restore it into a {kind} database"
                )
            if kind == "sqlite":
                backups.sqlite_validate(source)
            else:
                backups.pg_validate(source)
            people = people_in_current_database()
            if people and not force:
                raise CommandError(
                    f"the current database holds data ({people} people); add --force to "
                    f"replace it with {source.name}"
                )
            connections.close_all()
            if engine == "sqlite":
                self.restore_sqlite(source, Path(database["NAME"]), had_data=bool(people))
            else:
                self.stderr.write("Restoring with pg_restore…")
                backups.pg_restore(database, source)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Restored from {source}.")

    def restore_sqlite(self, source: Path, target: Path, *, had_data: bool) -> None:
        if had_data:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            keep = target.with_name(f"{target.name}.before-restore-{stamp}")
            backups.sqlite_backup(target, keep)
            self.stdout.write(f"The replaced database is kept as {keep}.")
        target.parent.mkdir(parents=True, exist_ok=True)
        progress = ProgressLine("Restoring")
        backups.sqlite_restore(source, target, progress)
        progress.finish()
