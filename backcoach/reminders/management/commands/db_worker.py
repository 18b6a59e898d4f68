"""django-tasks-db's `db_worker`, which also makes sure the reminders' tick is running.

`backcoach serve` starts this worker beside the web server, and a worker started by hand
(`serve --no-tasks` plus `backcoach db_worker`) is this command too: so every worker start
restarts a chain of reminder ticks that has died, and the reminders need nothing else to
run. This app comes before django_tasks_db in INSTALLED_APPS, so its command is the one
Django finds under this name; everything else is the library's.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from backcoach.reminders import sending


class Command(DatabaseWorker):
    help = DatabaseWorker.help + " (and keep the bedtime reminders' tick going)"

    def handle(self, *args, **options):
        sending.tick_ensure()
        super().handle(*args, **options)
