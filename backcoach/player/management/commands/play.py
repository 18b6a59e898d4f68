import datetime as dt
import os
import select
import shutil
import signal
import subprocess
import sys
import termios
import time
import tty
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backcoach import numbers
from backcoach.accounts.models import Person
from backcoach.library.models import Routine
from backcoach.player import services
from backcoach.player.models import MAX_CUE_WORDS, MAX_SKIPPED_CUES
from backcoach.player.selectors import (
    Refusal,
    TonightReason,
    gentle_routine,
    playable_routine,
    tonight,
)
from backcoach.player.timeline import Timeline

BAR = 20


def bar(fraction: float, width: int = BAR) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "#" * filled + "-" * (width - filled)


def clock_text(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class Keys:
    """Single key presses from the terminal, without Enter, when there is a terminal."""

    def __init__(self, stream):
        self.stream = stream
        self.saved = None
        self.ended = False

    def __enter__(self):
        if self.stream.isatty():
            self.saved = termios.tcgetattr(self.stream)
            tty.setcbreak(self.stream.fileno())
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            termios.tcsetattr(self.stream, termios.TCSADRAIN, self.saved)

    def read(self, timeout: float) -> str:
        """A key pressed within `timeout` seconds, or "". At the end of the input (not a
        terminal: /dev/null, a finished pipe) it only waits: the routine plays on."""
        if self.ended:
            time.sleep(timeout)
            return ""
        ready, _, _ = select.select([self.stream], [], [], timeout)
        if not ready:
            return ""
        key = os.read(self.stream.fileno(), 1)
        if not key:
            self.ended = True
            time.sleep(timeout)
        return key.decode(errors="ignore")


def stop_on_sigterm(signum, frame):
    """SIGTERM stops a routine the way Ctrl+C does: what was done so far is saved."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Play a routine in the terminal, with spoken cues when espeak-ng is installed. The "
        "practice is saved when it ends, also when stopped early (q, Ctrl+C)."
    )

    def add_arguments(self, parser):
        parser.add_argument("routine", nargs="?", help="a routine's slug (default: tonight's)")
        parser.add_argument("--person", help="the e-mail of the person practising")
        parser.add_argument(
            "--speed",
            type=float,
            default=1.0,
            help="run the clock N times faster to try a routine out: a rehearsal, which is "
            "not saved (1 = real time, the default)",
        )
        parser.add_argument("--no-speak", action="store_true", help="print cues only")
        parser.add_argument(
            "--no-ratings", action="store_true", help="do not ask for pain and tension"
        )

    def handle(self, *args, **options):
        previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
        # Ctrl+C stops the routine (and saves it) even when the command was started with
        # SIGINT ignored, as a shell does for a job it starts in the background without
        # job control: the player is interactive, and its keys say Ctrl+C works.
        previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.play(**options)
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)

    def play(self, *, routine, person, speed, no_speak, no_ratings, **options):
        if not 0.1 <= speed <= 1000:
            raise CommandError("--speed takes a number from 0.1 to 1000")
        self.person = self.find_person(person)
        self.routine = self.find_routine(routine)
        playable = playable_routine(self.person, self.routine)
        steps, left_out = playable.steps, playable.left_out
        if playable.refusal is not None:
            raise CommandError(self.refusal_text(playable))
        if left_out:
            self.stdout.write("Left out for your health conditions: " + ", ".join(left_out) + ".")
        self.script = playable.script
        self.speed = speed
        self.voice = None if no_speak else shutil.which("espeak-ng")
        total = sum(step["duration"] for step in self.script["steps"])
        count = f"{len(steps)} step{'' if len(steps) == 1 else 's'}"
        self.stdout.write(f"{self.routine.name}: {count}, {clock_text(total)}.")
        # A practice at 40 times the speed is not one: its times would be made up.
        rehearsal = speed != 1
        if rehearsal:
            self.stdout.write(f"Rehearsal at {speed:g}x speed: nothing is saved.")
        if not no_speak and self.voice is None:
            self.stdout.write(
                "espeak-ng is not installed, so cues are printed, not spoken "
                "(Debian: apt-get install espeak-ng)."
            )
        before = services.Ratings() if no_ratings or rehearsal else self.ask_ratings("now")
        started_at = timezone.now()
        status, done, skipped = self.run_routine()
        ended_at = timezone.now()
        if rehearsal:
            word = "over" if status == "completed" else "stopped"
            self.stdout.write(f"Rehearsal {word}; nothing was saved.")
            return
        # A bedtime routine ends in quiet, never with a question: the morning check-in asks.
        quiet = self.script["bedtime"] or no_ratings
        try:
            after = services.Ratings() if quiet else self.ask_ratings("now, after it")
        except KeyboardInterrupt:
            self.stdout.write("")
            after = services.Ratings()
        services.practice_record(
            person=self.person,
            practice_id=uuid.uuid4(),
            routine=self.routine.slug,
            started_at=started_at,
            ended_at=max(ended_at, started_at + dt.timedelta(seconds=sum(done))),
            status=status,
            source="terminal",
            before=before,
            after=after,
            steps=[
                services.StepRecord(s["technique"], s["side"], s["duration"], seconds)
                for s, seconds in zip(self.script["steps"], done, strict=True)
            ],
            skipped_cues=[
                services.SkippedCue(cue["step"], cue["at"], cue["say"][:MAX_CUE_WORDS])
                for cue in skipped[:MAX_SKIPPED_CUES]
            ],
        )
        word = "completed" if status == "completed" else "stopped early"
        self.stdout.write(f"Saved: {self.routine.name}, {word}.")

    def find_person(self, email):
        if email:
            person = Person.objects.filter(email__iexact=email.strip()).first()
            if person is None:
                raise CommandError(f"nobody with the e-mail address {email} has an account")
            return person
        people = list(Person.objects.filter(is_active=True)[:2])
        if len(people) != 1:
            raise CommandError("say who is practising: --person EMAIL")
        return people[0]

    def refusal_text(self, playable) -> str:
        """The one line that says why the routine does not play (player.selectors)."""
        refusal = playable.refusal
        if refusal == Refusal.URGENT:
            return (
                "the safety check found signs that need urgent care; no routine "
                "until you confirm in the web app that a clinician assessed you"
            )
        if refusal == Refusal.SCREEN:
            return (
                "answer the safety check first: log in to backcoach in a "
                "browser, where it is asked before any routine"
            )
        if refusal == Refusal.NOT_GENTLE:
            gentle = gentle_routine()
            offer = f"; play {gentle.slug} instead" if gentle is not None else ""
            reason = playable.gate.gentle_reason.rstrip(".")
            return f"{self.routine.slug} is not a gentle routine. {reason}{offer}"
        return (
            f"every step of {self.routine.slug} is ruled out by your health "
            "conditions; build one that suits you in the web app"
        )

    def find_routine(self, slug):
        routines = Routine.objects.visible_to(self.person).filter(is_active=True)
        if slug:
            routine = routines.filter(slug=slug).first()
        else:
            found = tonight(self.person)
            if found.reason == TonightReason.REST:
                raise CommandError(
                    f"tonight is a night without a routine in your experiment "
                    f"({found.assignment.words}): just go to sleep"
                )
            routine = found.routine
        if routine is None:
            known = ", ".join(routines.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"no routine {slug!r}; choose one of: {known}")
        return routine

    def ask_ratings(self, when: str) -> services.Ratings:
        return services.Ratings(
            self.ask(f"Pain {when}, 0-10 (Enter to skip): "),
            self.ask(f"Tension {when}, 0-10 (Enter to skip): "),
        )

    def ask(self, prompt: str) -> int | None:
        for _ in range(5):
            self.stdout.write(prompt, ending="")
            self.stdout.flush()
            answer = sys.stdin.readline()
            if not answer or not answer.strip():
                return None
            try:
                return numbers.whole_from_text(answer, minimum=0, maximum=10)
            except numbers.NumberRefused:
                self.stdout.write("Please type a whole number from 0 to 10, or just Enter.")
        return None

    def say(self, text: str) -> None:
        self.stdout.write(f"\r\033[K  » {text}")
        if self.voice:
            # Our own cue text, passed as one argument (no shell): nothing to inject into.
            subprocess.Popen(  # noqa: S603
                [self.voice, text],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def run_routine(self) -> tuple[str, list[int], list[dict]]:
        timeline = Timeline.from_script(self.script)
        done = [0.0 for _ in self.script["steps"]]
        position, running_since, last = 0.0, time.monotonic(), 0.0
        self.stdout.write("Keys: space pause · s skip · b back · q stop")

        def now() -> float:
            if running_since is None:
                return position
            return position + (time.monotonic() - running_since) * self.speed

        status = "completed"
        try:
            with Keys(sys.stdin) as keys:
                while True:
                    seconds = now()
                    current = timeline.segment_at(last)
                    if running_since is not None and current < len(timeline.segments):
                        segment = timeline.segments[current]
                        if segment.kind == "step":
                            planned = segment.step["duration"]
                            done[segment.index] = min(planned, done[segment.index] + seconds - last)
                    last = seconds
                    if seconds >= timeline.total:
                        timeline.due(seconds)  # the cues of the last stretch, if skipped
                        break
                    cue = timeline.due(seconds)
                    if cue:
                        self.say(cue)
                    self.draw(timeline, seconds, paused=running_since is None)
                    key = keys.read(0.05)
                    if key == " ":
                        if running_since is None:
                            running_since = time.monotonic()
                            self.say("Resuming.")
                        else:
                            position, running_since = now(), None
                    elif key in ("s", "b"):
                        index = timeline.segment_at(seconds)
                        if key == "s":
                            target = timeline.seek(timeline.segments[index].end)
                        else:
                            into = seconds - timeline.segments[index].start
                            back_to = index - 1 if into < 3 and index > 0 else index
                            target = timeline.restart_from(back_to)
                        position = last = target
                        running_since = None if running_since is None else time.monotonic()
                    elif key in ("q", "\x1b"):
                        status = "abandoned"
                        break
        except KeyboardInterrupt:
            # Ctrl+C, or SIGTERM: stopped early, and saved as such with what was done.
            status = "abandoned"
            self.stdout.write("")
            self.stdout.write("Stopped early.", ending="")
        self.stdout.write("")
        if status == "completed" and self.script["endCue"]:
            self.say(self.script["endCue"])
        elif status == "completed":
            self.stdout.write("Sleep well.")
        return status, [round(seconds) for seconds in done], timeline.skipped_cues()

    def draw(self, timeline: Timeline, seconds: float, *, paused: bool) -> None:
        index = timeline.segment_at(seconds)
        segment = timeline.segments[min(index, len(timeline.segments) - 1)]
        name = (
            "Get ready"
            if segment.kind == "lead-in"
            else (f"{segment.index + 1}/{len(self.script['steps'])} {segment.step['name']}")
        )
        step_part = (seconds - segment.start) / max(1, segment.end - segment.start)
        lead = timeline.segments[0].end
        overall = (seconds - lead) / max(1, timeline.total - lead)
        state = " PAUSED" if paused else ""
        line = (
            f"\r\033[K{name[:28]:<28} [{bar(step_part)}] {clock_text(segment.end - seconds)}"
            f"  all [{bar(overall, 10)}] {max(0, int(overall * 100)):3d}%{state}"
        )
        self.stdout.write(line, ending="")
        self.stdout.flush()
