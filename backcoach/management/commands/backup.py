import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from backcoach import backups

from ._progress import ProgressLine


class Command(BaseCommand):
    help = "Copy the whole database to a file, while the app keeps running."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="target", required=True, help="the backup file to write")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")

    def handle(self, *args, target, force, **options):
        target = Path(target).expanduser().resolve()
        if target.is_dir():
            raise CommandError(f"{target} is a folder; name a file, e.g. {target}/backcoach.backup")
        if target.exists() and not force:
            raise CommandError(f"{target} exists already; add --force to overwrite it")
        if not target.parent.is_dir():
            raise CommandError(f"the folder {target.parent} does not exist")
        if not os.access(target.parent, os.W_OK):
            raise CommandError(f"cannot write to the folder {target.parent}")
        database = settings.DATABASES["default"]
        try:
            engine = backups.engine_of(database)
            if engine == "sqlite":
                source = Path(database["NAME"])
                if not source.exists():
                    raise CommandError(f"there is no database at {source} yet; nothing to back up")
                connections.close_all()
                progress = ProgressLine("Backing up")
                backups.sqlite_backup(source, target, progress)
                progress.finish()
            else:
                self.stderr.write("Backing up with pg_dump…")
                backups.pg_backup(database, target)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        except PermissionError:
            raise CommandError(f"cannot write {target} (permission denied)") from None
        size_kib = target.stat().st_size / 1024
        self.stdout.write(f"Backup written to {target} ({size_kib:,.0f} KiB).")
