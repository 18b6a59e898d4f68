import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from backcoach.accounts.models import Person

from ._progress import ProgressLine

DEMO_DOMAIN = "demo.backcoach.invalid"
DEMO_PASSWORD = "demo-password-1234"  # noqa: S105 - published, for demo people only
TIME_ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]
BATCH = 500


def no_flags() -> dict[str, bool]:
    from backcoach.safety.content import flag_levels

    return dict.fromkeys(flag_levels(), False)


class Command(BaseCommand):
    help = (
        "Create demo people (and, as later parts of backcoach arrive, their diaries) for "
        f"benchmarks. They log in with the password {DEMO_PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10, help="how many people (1-100000)")
        parser.add_argument("--days", type=int, default=30, help="days of history (1-3650)")
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data")
        parser.add_argument("--reset", action="store_true", help="delete earlier demo people first")

    def handle(self, *args, users, days, seed, reset, **options):
        if not 1 <= users <= 100_000:
            raise CommandError("--users takes a number from 1 to 100000")
        if not 1 <= days <= 3650:
            raise CommandError("--days takes a number from 1 to 3650")
        call_command("migrate", interactive=False, verbosity=0)
        rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
        if reset:
            deleted, _ = Person.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
            self.stdout.write(f"Deleted {deleted} earlier demo rows.")
        # One hash for everyone: Argon2 is slow on purpose, and demo people share a password.
        password = make_password(DEMO_PASSWORD)
        now = timezone.now()
        progress = ProgressLine("Creating demo people")
        created = 0
        for start in range(0, users, BATCH):
            batch = [
                Person(
                    email=f"demo-{number:06d}@{DEMO_DOMAIN}",
                    name=f"Demo {number}",
                    password=password,
                    time_zone=rng.choice(TIME_ZONES),
                    bedtime=dt.time(rng.choice([21, 22, 23]), rng.choice([0, 15, 30, 45])),
                    date_joined=now - dt.timedelta(days=days),
                )
                for number in range(start + 1, min(start + BATCH, users) + 1)
            ]
            with transaction.atomic():
                before = Person.objects.count()
                Person.objects.bulk_create(batch, ignore_conflicts=True)
                created += Person.objects.count() - before
            progress(min(start + BATCH, users), users)
        progress.finish()
        self.screen_demo_people()
        self.stdout.write(
            f"{created} demo people created ({users - created} existed already), "
            f"{days} days of history."
        )

    def screen_demo_people(self) -> None:
        """Demo people have answered the safety check with no warning signs, so that they
        can play routines in benchmarks."""
        from backcoach.safety.models import Screen

        unscreened = Person.objects.filter(
            email__endswith=f"@{DEMO_DOMAIN}", screens__isnull=True
        ).values_list("pk", flat=True)
        answers = no_flags()
        Screen.objects.bulk_create(
            (
                Screen(person_id=pk, answers=answers, outcome="none", reason="signup")
                for pk in unscreened.iterator()
            ),
            batch_size=BATCH,
        )
