"""The routine builder: from a person's evening (time, equipment, focus, limits, pain,
conditions) to an ordered routine that fills the time.

Pure Python, no Django. Its promises, checked by property tests: the routine fills the
minutes asked to within 10 seconds; it never uses equipment the person lacks, a position
they avoid, or a technique their conditions rule out; in bed it ends with the massage (and
its resting cue), stretches before it;
the same inputs always give the same routine; and when nothing fits it says why.
"""

from dataclasses import dataclass, field

from backcoach.safety.contraindications import excluded_by

from .vocabulary import ALWAYS_AVAILABLE, all_gentle, duration_text, step_sides

MIN_MINUTES, MAX_MINUTES = 2, 30
TOLERANCE_SECONDS = 10
STRONG_PAIN, MODERATE_PAIN = 7, 4
# Going down to the floor once and staying there: the order positions come in.
POSITION_ORDER = (
    "standing",
    "sitting",
    "kneeling",
    "lying-on-front",
    "side-lying",
    "lying-on-back",
)
KIND_ORDER = {"massage": 0, "mobility": 1, "stretch": 2}


@dataclass(frozen=True)
class Move:
    """What the builder needs to know of a technique."""

    slug: str
    kind: str
    body_areas: frozenset[str]
    position: str
    equipment: frozenset[str]
    bed_friendly: bool
    intensity: str
    default: int
    minimum: int
    maximum: int
    sides: str
    excludes: frozenset[str] = frozenset()

    @property
    def side_count(self) -> int:
        return 2 if self.sides == "each" else 1


def move_for(technique) -> Move:
    """The builder's view of a technique: from a content file or a database row alike."""
    return Move(
        slug=technique.slug,
        kind=technique.kind,
        body_areas=frozenset(technique.body_areas),
        position=technique.position,
        equipment=frozenset(technique.equipment),
        bed_friendly=technique.bed_friendly,
        intensity=technique.intensity,
        default=technique.default_duration,
        minimum=technique.min_duration,
        maximum=technique.max_duration,
        sides=technique.sides,
        excludes=frozenset(technique.excludes),
    )


@dataclass(frozen=True)
class Request:
    minutes: int
    equipment: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()
    avoid_positions: frozenset[str] = frozenset()
    pain: int = 0
    conditions: frozenset[str] = frozenset()
    in_bed: bool = False
    gentle_only: bool = False


@dataclass(frozen=True)
class PlannedStep:
    technique: str
    duration: int
    side: str


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlannedStep, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(step.duration for step in self.steps)


class NothingFits(Exception):
    """No routine meets the limits; the message says why in the person's words."""


def why_not(move: Move, request: Request) -> str | None:
    """The first limit a move breaks, or None when it may be used."""
    if excluded_by(request.conditions, move.excludes):
        return "conditions"
    if not move.equipment <= (request.equipment | ALWAYS_AVAILABLE):
        return "equipment"
    if move.position in request.avoid_positions:
        return "position"
    if request.in_bed and not move.bed_friendly:
        return "bed"
    if (request.gentle_only or request.pain >= STRONG_PAIN) and not all_gentle([move.intensity]):
        return "pain"
    if request.pain >= MODERATE_PAIN and move.intensity == "firm":
        return "pain"
    return None


REASONS = {
    "conditions": "{n} ruled out by your health conditions",
    "equipment": "{n} need equipment you do not have at hand",
    "position": "{n} need a position you want to avoid",
    "bed": "{n} cannot be done in bed",
    "pain": "{n} are too strong for today's pain",
}


def build_routine(request: Request, moves: list[Move] | tuple[Move, ...]) -> Plan:
    """Build the routine, or raise NothingFits with the reason."""
    if not MIN_MINUTES <= request.minutes <= MAX_MINUTES:
        raise NothingFits(f"Choose between {MIN_MINUTES} and {MAX_MINUTES} minutes.")
    target = request.minutes * 60
    allowed, refused = [], {}
    for move in sorted(moves, key=lambda m: m.slug):
        reason = why_not(move, request)
        if reason is None:
            allowed.append(move)
        else:
            refused[reason] = refused.get(reason, 0) + 1
    if not allowed:
        parts = [REASONS[key].format(n=refused[key]) for key in REASONS if key in refused]
        raise NothingFits("No technique fits these limits: " + "; ".join(parts) + ".")

    chosen = choose(allowed, request, target)
    durations = fit_durations(chosen, target)
    steps = []
    for move, per_side in zip(chosen, durations, strict=True):
        sides = step_sides(move.sides)
        steps.extend(PlannedStep(move.slug, per_side, side) for side in sides)
    notes = []
    if request.in_bed and not any(m.kind == "massage" for m in allowed):
        notes.append("No self-massage suits your limits tonight, so the routine is stretches only.")
    return Plan(tuple(steps), tuple(notes))


def priority(move: Move, request: Request) -> tuple:
    """Which moves are chosen first: in bed, the massage (it is what the evening is for)."""
    massage_first = 0 if (request.in_bed and move.kind == "massage") else 1
    focus_hits = len(move.body_areas & request.focus)
    return (massage_first, -focus_hits, KIND_ORDER.get(move.kind, 9), move.slug)


def choose(allowed: list[Move], request: Request, target: int) -> list[Move]:
    ranked = sorted(allowed, key=lambda m: priority(m, request))
    chosen: list[Move] = []
    floor = ceiling = planned = 0
    for move in ranked:
        if planned >= target:
            break
        if floor + move.minimum * move.side_count > target:
            continue
        chosen.append(move)
        floor += move.minimum * move.side_count
        ceiling += move.maximum * move.side_count
        planned += move.default * move.side_count
    if not chosen:
        shortest = min(m.minimum * m.side_count for m in allowed)
        raise NothingFits(
            f"The shortest technique that suits you takes {duration_text(shortest)}; "
            f"choose at least that long."
        )
    if ceiling < target - TOLERANCE_SECONDS:
        raise NothingFits(
            f"The techniques that suit these limits fill at most {duration_text(ceiling)}; "
            f"choose a shorter time, or allow more equipment or positions."
        )
    return order_steps(chosen, request)


def order_steps(chosen: list[Move], request: Request) -> list[Move]:
    """In bed the massage comes last, stretches before it, so that the routine ends on the
    massage's resting cue, ready for sleep; otherwise one trip down to the floor, not
    several."""

    def key(move: Move) -> tuple:
        last = 1 if (request.in_bed and move.kind == "massage") else 0
        place = POSITION_ORDER.index(move.position) if move.position in POSITION_ORDER else 9
        return (last, place, KIND_ORDER.get(move.kind, 9), move.slug)

    return sorted(chosen, key=key)


def fit_durations(chosen: list[Move], target: int) -> list[int]:
    """Per-side seconds for each move, within its limits, adding up to the target.

    Start from each move's default, spread the difference over the room each move has
    (down to its minimum or up to its maximum), round to 5 s, then settle the rest.
    """
    counts = [m.side_count for m in chosen]
    defaults = [m.default for m in chosen]
    planned = sum(d * c for d, c in zip(defaults, counts, strict=True))
    gap = target - planned
    if gap >= 0:
        room = [(m.maximum - m.default) * c for m, c in zip(chosen, counts, strict=True)]
    else:
        room = [(m.default - m.minimum) * c for m, c in zip(chosen, counts, strict=True)]
    total_room = sum(room) or 1
    share = min(1.0, abs(gap) / total_room)
    sign = 1 if gap >= 0 else -1
    durations = []
    for move, count, space in zip(chosen, counts, room, strict=True):
        exact = move.default + sign * share * space / count
        rounded = int(5 * round(exact / 5))
        durations.append(max(move.minimum, min(move.maximum, rounded)))
    settle(durations, chosen, counts, target)
    return durations


def settle(durations: list[int], chosen: list[Move], counts: list[int], target: int) -> None:
    """Move the total onto the target in small steps, one move at a time, in order."""
    for step in (5, 1):
        for _ in range(10_000):
            total = sum(d * c for d, c in zip(durations, counts, strict=True))
            diff = target - total
            if abs(diff) < step:
                break
            moved = False
            for index, move in enumerate(chosen):
                change = step if diff > 0 else -step
                if abs(change * counts[index]) > abs(diff):
                    continue
                new = durations[index] + change
                if move.minimum <= new <= move.maximum:
                    durations[index] = new
                    moved = True
                    break
            if not moved:
                break
