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

from backcoach import nights as night_rule
from backcoach.accounts.models import Person
from backcoach.diary.models import Checkin
from backcoach.library.models import Routine, Technique
from backcoach.player.models import Practice, PracticeStep
from backcoach.safety.content import flag_levels
from backcoach.safety.models import Screen

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

# Demo diaries: a morning check-in most mornings, an any-time one on some days, a weekly one.
MORNING_MISSED_SHARE = 0.05
ANYTIME_SHARE = 0.2  # days with a pain-and-tension check-in
WEEKLY_MISSED_SHARE = 0.1
DRIFT_PULL, DRIFT_STEP = 0.02, 0.2  # pain wanders day to day, back to usual in weeks
PRACTICE_RELIEF = 0.8  # pain points less, on average, the morning after a completed practice
SLEEP_ONSETS = [5, 15, 30, 45, 60, 90, 120]  # the morning form's answers
STIFFNESS = [0, 5, 30, 60, 120]
BACK_AREAS = ["lower-back-left", "lower-back-centre", "lower-back-right"]
OTHER_AREAS = ["mid-back", "upper-back", "neck", "buttock"]
DIARY_NOTES = ["Long day at the desk.", "Walked a lot.", "A friend's soft mattress.", "Gardening."]


def no_flags() -> dict[str, bool]:
    return dict.fromkeys(flag_levels(), False)


def demo_email(number: int) -> str:
    return f"demo-{number:06d}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = (
        "Create demo people (with --practices, their practices; with --diary, their "
        "check-ins) for benchmarks. They log in with the password "
        f"{DEMO_PASSWORD!r}. Repeatable by --seed; running it again adds nothing."
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
        parser.add_argument(
            "--diary",
            action="store_true",
            help="each person keeps a diary over the --days: a morning check-in about every "
            "night but the last (about one in twenty missed; pain drifting slowly, a little "
            "lower after a completed practice, so seed --practices with it), a pain-and-"
            "tension check-in on about one day in five, and a weekly check-in (PEG-3, "
            "fingertip-to-floor, posture) on one day of each week",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data")
        parser.add_argument("--reset", action="store_true", help="delete earlier demo people first")

    def handle(self, *args, users, first, days, practices, diary, seed, reset, **options):
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
        diarist = DiaryMaker(seed=seed, days=days) if diary else None
        # One hash for everyone: Argon2 is slow on purpose, and demo people share a password.
        password = make_password(DEMO_PASSWORD)
        now = timezone.now()
        progress = ProgressLine("Creating demo people")
        created = 0
        practised = 0
        written = 0
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
            people = list(Person.objects.filter(email__in=[p.email for p in batch]))
            if maker is not None:
                practised += maker.add_for(people, now=now)
            if diarist is not None:
                written += diarist.add_for(people, now=now)
            progress(numbers[-1] - first + 1, users)
        progress.finish()
        self.screen_demo_people()
        self.stdout.write(
            f"{created} demo people created ({users - created} existed already), "
            f"{days} days of history."
        )
        if maker is not None:
            self.stdout.write(f"{practised} demo practices created.")
        if diarist is not None:
            self.stdout.write(f"{written} demo check-ins created.")

    def ensure_library(self) -> None:
        """Practices name library techniques; `backcoach serve` loads them, but seed-demo
        may come first."""
        if not Technique.objects.filter(is_active=True).exists():
            call_command("library", "load", stdout=self.stdout)

    def screen_demo_people(self) -> None:
        """Demo people have answered the safety check with no warning signs, so that they
        can play routines in benchmarks."""
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
        rows = (
            Routine.objects.library()
            .filter(is_active=True)
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


class DiaryMaker:
    """Makes demo check-ins in bulk: a morning check-in about each night of the --days but
    the last (that morning is today's, left for the person), any-time and weekly ones.

    Like the practices, each person's check-ins come from a generator seeded with --seed and
    their e-mail address, ids included, so seeding again adds nothing. The check-ins are
    written directly, not through `diary.services.checkin_record`, which refuses anything
    more than 14 days back (right for people, not for years of demo history).
    """

    def __init__(self, *, seed: int, days: int):
        self.seed = seed
        self.days = days

    def add_for(self, people: list, *, now: dt.datetime) -> int:
        """Add the check-ins of these people; return how many were new."""
        nights = self.practice_nights(people)
        mine = Checkin.objects.filter(person__in=people)
        before = mine.count()
        checkins: list = []
        for person in sorted(people, key=lambda p: p.email):
            checkins += self.checkins_of(person, nights.get(person.pk, {}), now=now)
            if len(checkins) >= BATCH * 4:
                self.save(checkins)
                checkins = []
        self.save(checkins)
        return mine.count() - before

    @staticmethod
    def save(checkins: list) -> None:
        # ignore_conflicts: an id or a person's night seeded before is left as it is.
        with transaction.atomic():
            Checkin.objects.bulk_create(checkins, batch_size=BATCH, ignore_conflicts=True)

    @staticmethod
    def practice_nights(people: list) -> dict[int, dict[dt.date, bool]]:
        """{person id: {night: whether a practice that night was completed}}, nights as the
        morning check-in counts them (backcoach.nights)."""
        zones = {person.pk: ZoneInfo(person.time_zone) for person in people}
        nights: dict[int, dict[dt.date, bool]] = {}
        rows = Practice.objects.filter(person__in=people).values_list(
            "person_id", "started_at", "status"
        )
        for person_id, started_at, status in rows.iterator(chunk_size=5000):
            night = night_rule.night_of(started_at, zones[person_id])
            theirs = nights.setdefault(person_id, {})
            theirs[night] = theirs.get(night, False) or status == Practice.Status.COMPLETED
        return nights

    def checkins_of(self, person, practised: dict[dt.date, bool], *, now: dt.datetime):
        """Every check-in of the last --days, oldest first. `practised` maps a night to
        whether its practice was completed."""
        rng = random.Random(f"{self.seed}/diary/{person.email}")  # noqa: S311 - demo data
        zone = ZoneInfo(person.time_zone)
        today = now.astimezone(zone).date()
        usual = rng.uniform(2, 6)
        level = usual  # the slowly drifting pain the daily answers scatter around
        areas = rng.sample(BACK_AREAS, rng.randint(1, 2))
        if rng.random() < 0.3:
            areas.append(rng.choice(OTHER_AREAS))
        leg = rng.choice(["leg-left", "leg-right"]) if rng.random() < 0.2 else None
        fingertip = rng.uniform(5, 35)
        weekday = rng.randrange(7)
        week_pains: list[int] = []

        def make(kind, at: dt.datetime, **answers):
            return Checkin(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                person=person,
                kind=kind,
                recorded_at=at,
                **answers,
            )

        for back in range(self.days, 0, -1):
            night = today - dt.timedelta(days=back)  # the practices of the same run fall here
            # A random walk pulled back to the person's usual pain over weeks (sd about 1).
            level += DRIFT_PULL * (usual - level) + rng.gauss(0, DRIFT_STEP)
            level = min(8.5, max(0.5, level))
            # The morning after `night`, unless that morning is today's.
            if back > 1 and rng.random() >= MORNING_MISSED_SHARE:
                relief = PRACTICE_RELIEF if practised.get(night) else 0.0
                pain = round(min(10, max(0, level + rng.gauss(0, 0.8) - relief)))
                week_pains.append(pain)
                wake = dt.time(rng.randint(6, 8), rng.randint(0, 59))
                where = [a for a in areas if rng.random() < 0.8] if pain else []
                if pain >= 4 and leg and rng.random() < 0.5:
                    where.append(leg)
                onset = min(len(SLEEP_ONSETS) - 1, max(0, round(pain / 3 + rng.gauss(0, 1))))
                stiffness = min(len(STIFFNESS) - 1, max(0, round(pain / 2.5 + rng.gauss(0, 0.7))))
                feel = ""
                if night in practised and rng.random() < 0.85:
                    feel = rng.choices(
                        ["soothing", "neutral", "uncomfortable"],
                        [6, 3, 1] if practised[night] else [2, 3, 5],
                    )[0]
                yield make(
                    Checkin.Kind.MORNING,
                    dt.datetime.combine(night + dt.timedelta(days=1), wake, tzinfo=zone),
                    night=night,
                    pain=pain,
                    pain_areas=where,
                    leg_below_knee=(rng.random() < 0.4) if leg in where else None,
                    sleep_onset_minutes=SLEEP_ONSETS[onset],
                    sleep_quality=min(5, max(1, round(4.3 - pain / 3 + rng.gauss(0, 0.7)))),
                    stiffness_minutes=STIFFNESS[stiffness],
                    routine_feel=feel,
                    note=rng.choice(DIARY_NOTES) if rng.random() < 0.03 else "",
                )
            if rng.random() < ANYTIME_SHARE:
                pain = round(min(10, max(0, level + rng.gauss(0.5, 1.2))))
                at = dt.time(rng.randint(9, 20), rng.randint(0, 59))
                yield make(
                    Checkin.Kind.ANYTIME,
                    dt.datetime.combine(night, at, tzinfo=zone),
                    pain=pain,
                    tension=min(10, max(0, pain + rng.randint(-1, 2))),
                    note=rng.choice(DIARY_NOTES) if rng.random() < 0.1 else "",
                )
            if night.weekday() == weekday:
                # Practice slowly loosens the back; a bad week tightens it.
                fingertip = min(60, max(0, fingertip - 0.3 + rng.gauss(0, 1.2)))
                if rng.random() >= WEEKLY_MISSED_SHARE:
                    peg = round(sum(week_pains) / len(week_pains)) if week_pains else round(level)
                    peg = min(10, max(0, peg + round(rng.gauss(0, 0.7))))
                    yield make(
                        Checkin.Kind.WEEKLY,
                        dt.datetime.combine(night, dt.time(20, rng.randint(0, 59)), tzinfo=zone),
                        peg_pain=peg,
                        peg_enjoyment=min(10, max(0, peg + rng.randint(-2, 1))),
                        peg_activity=min(10, max(0, peg + rng.randint(-2, 1))),
                        fingertip_floor_cm=(
                            round(fingertip * 2) / 2 if rng.random() >= 0.15 else None
                        ),
                        posture=(
                            min(10, max(0, round(7.5 - level / 2 + rng.gauss(0, 1))))
                            if rng.random() >= 0.2
                            else None
                        ),
                    )
                week_pains = []
