import datetime as dt
import random
import uuid
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from backcoach.accounts.models import Person

from ._progress import ProgressLine

DEMO_DOMAIN = "demo.backcoach.invalid"
DEMO_PASSWORD = "demo-password-1234"  # noqa: S105 - published, for demo people only
TIME_ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]
BATCH = 500

# Demo practices: a routine every night, and on some days a second one in the day.
MAX_PRACTICE_STEPS = 4
DAYTIME_SHARE = 0.1
ABANDONED_SHARE = 0.08
BUILT_SHARE = 0.15  # routines built for the evening (no library routine)
UNRATED_SHARE = 0.2  # pain and tension after left empty
TERMINAL_SHARE = 0.1
NOTES = ["Slept well after.", "Sore after the drive.", "Did it on the floor.", "Felt looser."]


def no_flags() -> dict[str, bool]:
    from backcoach.safety.content import flag_levels

    return dict.fromkeys(flag_levels(), False)


def demo_email(number: int) -> str:
    return f"demo-{number:06d}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = (
        "Create demo people (and, with --practices, their practices) for benchmarks. They "
        f"log in with the password {DEMO_PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10, help="how many people (1-100000)")
        parser.add_argument(
            "--first",
            type=int,
            default=1,
            help="number of the first person (demo-000001 is 1), to add people to earlier ones",
        )
        parser.add_argument("--days", type=int, default=30, help="days of history (1-3650)")
        parser.add_argument(
            "--practices",
            action="store_true",
            help="each person practises a routine every night of the --days (about one in "
            "twelve stopped early), and on about one day in ten once more in the day",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data")
        parser.add_argument("--reset", action="store_true", help="delete earlier demo people first")

    def handle(self, *args, users, first, days, practices, seed, reset, **options):
        if not 1 <= users <= 100_000:
            raise CommandError("--users takes a number from 1 to 100000")
        if not 1 <= first <= 999_999 - users + 1:
            raise CommandError("--first takes a number from 1 to 999999, less --users")
        if not 1 <= days <= 3650:
            raise CommandError("--days takes a number from 1 to 3650")
        call_command("migrate", interactive=False, verbosity=0)
        rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
        if reset:
            deleted, _ = Person.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
            self.stdout.write(f"Deleted {deleted} earlier demo rows.")
        maker = None
        if practices:
            self.ensure_library()
            maker = PracticeMaker.from_library(seed=seed, days=days)
        # One hash for everyone: Argon2 is slow on purpose, and demo people share a password.
        password = make_password(DEMO_PASSWORD)
        now = timezone.now()
        progress = ProgressLine("Creating demo people")
        created = 0
        practised = 0
        last = first + users - 1
        for start in range(first, last + 1, BATCH):
            numbers = range(start, min(start + BATCH - 1, last) + 1)
            batch = [
                Person(
                    email=demo_email(number),
                    name=f"Demo {number}",
                    password=password,
                    time_zone=rng.choice(TIME_ZONES),
                    bedtime=dt.time(rng.choice([21, 22, 23]), rng.choice([0, 15, 30, 45])),
                    date_joined=now - dt.timedelta(days=days),
                )
                for number in numbers
            ]
            with transaction.atomic():
                before = Person.objects.count()
                Person.objects.bulk_create(batch, ignore_conflicts=True)
                created += Person.objects.count() - before
            if maker is not None:
                people = Person.objects.filter(email__in=[p.email for p in batch])
                practised += maker.add_for(list(people), now=now)
            progress(numbers[-1] - first + 1, users)
        progress.finish()
        self.screen_demo_people()
        self.stdout.write(
            f"{created} demo people created ({users - created} existed already), "
            f"{days} days of history."
        )
        if maker is not None:
            self.stdout.write(f"{practised} demo practices created.")

    def ensure_library(self) -> None:
        """Practices name library techniques; `backcoach serve` loads them, but seed-demo
        may come first."""
        from backcoach.library.models import Technique

        if not Technique.objects.filter(is_active=True).exists():
            call_command("library", "load", stdout=self.stdout)

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


class PracticeMaker:
    """Makes demo practices of the library's routines and techniques, in bulk.

    Each person's practices come from a random generator seeded with --seed and their
    e-mail address, ids included, so that the same seed makes the same practices whoever
    else is seeded with them, and seeding again adds nothing (the ids exist already).
    """

    def __init__(self, *, seed: int, days: int, routines: list, techniques: list):
        self.seed = seed
        self.days = days
        self.routines = routines  # [(routine, [(technique, seconds, side), ...]), ...]
        self.techniques = techniques

    @classmethod
    def from_library(cls, *, seed: int, days: int) -> "PracticeMaker":
        from backcoach.library.models import Routine, Technique

        rows = (
            Routine.objects.filter(is_active=True)
            .annotate(step_count=Count("steps"))
            .filter(step_count__gte=1, step_count__lte=MAX_PRACTICE_STEPS)
            .prefetch_related("steps__technique")
            .order_by("slug")
        )
        routines = [
            (routine, [(s.technique, s.duration, s.side) for s in routine.steps.all()])
            for routine in rows
        ]
        techniques = list(Technique.objects.filter(is_active=True).order_by("slug"))
        if not routines or not techniques:
            raise CommandError("the library has no routines of 1-4 steps to practise")
        return cls(seed=seed, days=days, routines=routines, techniques=techniques)

    def add_for(self, people: list, *, now: dt.datetime) -> int:
        """Add every night's practices of these people; return how many were new."""
        created = 0
        practices: list = []
        steps: list = []
        for person in sorted(people, key=lambda p: p.email):
            for practice, its_steps in self.practices_of(person, now=now):
                practices.append(practice)
                steps += its_steps
                if len(practices) >= BATCH:
                    created += self.save(practices, steps)
                    practices, steps = [], []
        if practices:
            created += self.save(practices, steps)
        return created

    @staticmethod
    def save(practices: list, steps: list) -> int:
        from backcoach.player.models import Practice, PracticeStep

        with transaction.atomic():
            before = Practice.objects.count()
            Practice.objects.bulk_create(practices, ignore_conflicts=True)
            PracticeStep.objects.bulk_create(steps, ignore_conflicts=True)
            return Practice.objects.count() - before

    def practices_of(self, person, *, now: dt.datetime):
        """(practice, its steps) for every night of the last --days, oldest first."""
        rng = random.Random(f"{self.seed}/{person.email}")  # noqa: S311 - demo data
        zone = ZoneInfo(person.time_zone)
        today = now.astimezone(zone).date()
        bedtime = person.bedtime or dt.time(22, 0)
        pain = rng.randint(2, 6)  # a slowly wandering baseline
        for back in range(self.days, 0, -1):
            day = today - dt.timedelta(days=back)
            pain = min(9, max(0, pain + rng.choice([-1, 0, 0, 0, 1])))
            if rng.random() < DAYTIME_SHARE:
                at = dt.datetime.combine(day, dt.time(rng.randint(7, 17), rng.randint(0, 59)))
                yield self.practice(person, rng, at.replace(tzinfo=zone), pain)
            at = dt.datetime.combine(day, bedtime, tzinfo=zone)
            yield self.practice(person, rng, at + dt.timedelta(minutes=rng.randint(-20, 40)), pain)

    def practice(self, person, rng: random.Random, started_at: dt.datetime, pain: int):
        from backcoach.player.models import Practice, PracticeStep

        if rng.random() < BUILT_SHARE:
            routine = None
            name = "Tonight's routine"
            count = rng.randint(1, MAX_PRACTICE_STEPS)
            plan = [(t, t.default_duration, "both") for t in rng.sample(self.techniques, count)]
        else:
            routine, plan = rng.choice(self.routines)
            name = routine.name
        abandoned = rng.random() < ABANDONED_SHARE
        stop_in = rng.randrange(len(plan)) if abandoned else len(plan)
        done = [
            seconds if index < stop_in else (rng.randint(0, seconds) if index == stop_in else 0)
            for index, (_, seconds, _) in enumerate(plan)
        ]
        practice_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        rated = not abandoned and rng.random() >= UNRATED_SHARE
        tension = min(10, pain + rng.randint(0, 2))
        practice = Practice(
            id=practice_id,
            person=person,
            routine=routine,
            routine_name=name,
            started_at=started_at,
            ended_at=started_at + dt.timedelta(seconds=sum(done) + 5 * len(plan)),
            status=Practice.Status.ABANDONED if abandoned else Practice.Status.COMPLETED,
            source=(
                Practice.Source.TERMINAL if rng.random() < TERMINAL_SHARE else Practice.Source.WEB
            ),
            pain_before=pain,
            tension_before=tension,
            pain_after=max(0, pain - rng.choice([0, 1, 1, 2])) if rated else None,
            tension_after=max(0, tension - rng.choice([0, 1, 2, 2])) if rated else None,
            note=rng.choice(NOTES) if rng.random() < 0.05 else "",
        )
        steps = [
            PracticeStep(
                practice_id=practice_id,
                order=order,
                technique=technique,
                side=side,
                planned_seconds=seconds,
                done_seconds=done_seconds,
            )
            for order, ((technique, seconds, side), done_seconds) in enumerate(
                zip(plan, done, strict=True), start=1
            )
        ]
        return practice, steps
