"""An experiment as one JSON document (protocol, schedule, data, analysis), and its
re-analysis: anyone with the file can re-make the schedule from the seed and re-run the
numbers. Pure Python, no Django."""

import datetime as dt
from typing import Any

from backcoach import numbers

from . import analysis, words
from .outcomes import OUTCOMES
from .schedule import CONDITIONS, Schedule

FORMAT = "backcoach-experiment"
VERSION = 1


class BadDocument(ValueError):
    """The file is not an experiment record this code can read; the message says why."""


def analyses(protocol: dict, schedule: Schedule, nights: list[dict]) -> dict[str, dict]:
    """The analysis of each outcome (primary first) on the nights given: withheld while the
    experiment runs, and for the secondary outcomes described rather than judged
    (analysis.withheld, analysis.described)."""
    planned = schedule.pairs if protocol["ended"] else None
    results = {}
    for key in [protocol["outcome"], *protocol["secondary_outcomes"]]:
        outcome = OUTCOMES[key]
        data = [
            analysis.Night(
                night=dt.date.fromisoformat(night["night"]),
                assigned=night["assigned"],
                done=night["done"],
                outcome=night[key],
            )
            for night in nights
        ]
        result = analysis.analyse(
            data, outcome, planned_pairs=planned, first_night=schedule.first_night
        )
        if not protocol["ended"]:
            result = analysis.withheld(result)
        elif key != protocol["outcome"]:
            result = analysis.described(result)
        results[key] = {
            **result.as_dict(),
            "sentence": words.verdict_sentence(
                result,
                outcome,
                a_label=protocol["a"],
                b_label=protocol["b"],
                earlier_starts=len(protocol.get("earlier_starts") or []),
            ),
        }
    return results


def document(
    *,
    protocol: dict,
    schedule: Schedule,
    nights: list[dict],
    deviations: list[dict] = (),
    nights_with_deviations: list[dict] | None = None,
) -> dict:
    """The record. `nights` are the ones the verdict reads (each as it stood by its
    night's deadline); with `deviations` (entries made or changed later), the record also
    keeps the nights as they are now and their analysis, beside the verdict, never in it."""
    protocol = {**protocol, "secondary_outcomes": list(protocol["secondary_outcomes"])}
    nights = [dict(night) for night in nights]
    made = {
        "format": FORMAT,
        "version": VERSION,
        "protocol": protocol,
        "schedule": schedule.as_dict(),
        "nights": nights,
        "analysis": analyses(protocol, schedule, nights),
    }
    if deviations:
        later = [dict(night) for night in nights_with_deviations]
        made["deviations"] = [dict(deviation) for deviation in deviations]
        made["nights_with_deviations"] = later
        made["analysis_with_deviations"] = analyses(protocol, schedule, later)
    return made


def reanalysed(data: Any) -> tuple[dict, list[str]]:
    """Re-make the schedule and re-run the analysis of an exported document: the fresh
    analysis, and the differences from the one in the file (empty when they agree)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadDocument(f'not a backcoach experiment file (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise BadDocument(f"version {data.get('version')!r}; this backcoach reads {VERSION}")
    try:
        schedule = Schedule.from_dict(data["schedule"])
        protocol, nights = data["protocol"], data["nights"]
        _check_nights(schedule, nights, protocol)
        _check_earlier_starts(protocol.get("earlier_starts", []))
        fresh = analyses(protocol, schedule, nights)
        deviations = data.get("deviations", [])
        _check_deviations(deviations)
        later = None
        if deviations:
            _check_nights(schedule, data["nights_with_deviations"], protocol)
            later = analyses(protocol, schedule, data["nights_with_deviations"])
    except KeyError as exc:
        raise BadDocument(f"missing {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise BadDocument(str(exc)) from None
    differences = _differences(data.get("analysis", {}), fresh)
    if later is not None:
        differences += _differences(
            data.get("analysis_with_deviations") or {}, later, prefix="with deviations: "
        )
    return fresh, differences


def _differences(stored: dict, fresh: dict, prefix: str = "") -> list[str]:
    """Where the file's analysis and a fresh one disagree. A number the file does not have
    at all is new since the file was made (an older backcoach's export), not a difference;
    every outcome and every number the file has must agree."""
    return [
        f"{prefix}{key}.{name}: file {stored.get(key, {}).get(name)!r}, now {value!r}"
        for key, result in fresh.items()
        for name, value in result.items()
        if (key not in stored or name in stored[key]) and stored.get(key, {}).get(name) != value
    ]


def _check_deviations(deviations: Any) -> None:
    """Entries made or changed after their night's deadline (selectors.NightsRead)."""
    if not isinstance(deviations, list):
        raise BadDocument("deviations must be a list")
    for number, deviation in enumerate(deviations, start=1):
        if not isinstance(deviation, dict) or not all(
            isinstance(deviation.get(name), str)
            for name in ("night", "entry", "change", "at", "on_time_until")
        ):
            raise BadDocument(
                f"deviation {number}: night, entry, change, at and on_time_until, as text"
            )
        dt.date.fromisoformat(deviation["night"])
        dt.datetime.fromisoformat(deviation["at"])


def _check_nights(schedule: Schedule, nights: Any, protocol: Any) -> None:
    if not isinstance(protocol, dict) or not isinstance(nights, list):
        raise BadDocument("protocol must be an object and nights a list")
    for key in [protocol.get("outcome"), *protocol.get("secondary_outcomes", [])]:
        if key not in OUTCOMES:
            raise BadDocument(f"unknown outcome {key!r}")
    for night in nights:
        if not isinstance(night, dict):
            raise BadDocument("each night must be an object")
        day = dt.date.fromisoformat(night["night"])
        if schedule.condition(day) != night["assigned"]:
            raise BadDocument(
                f"{night['night']}: the schedule from the seed says "
                f"{schedule.condition(day)!r}, the file says {night['assigned']!r}"
            )
        if night["done"] not in (*CONDITIONS, None):
            raise BadDocument(f"{night['night']}: done must be A, B or null")
        for key, outcome in OUTCOMES.items():
            if night.get(key) is None:
                continue
            try:
                numbers.decimal(night[key], minimum=outcome.minimum, maximum=outcome.maximum)
            except numbers.NumberRefused as exc:
                raise BadDocument(f"{night['night']}: {key} {exc}") from None


def _check_earlier_starts(starts: Any) -> None:
    """The stopped experiments kept in the record (selectors.earlier_starts): when each
    was stopped and the draws it had shown."""
    if not isinstance(starts, list):
        raise BadDocument("earlier_starts must be a list")
    for number, start in enumerate(starts, start=1):
        where = f"earlier start {number}"
        if not isinstance(start, dict) or not isinstance(start.get("drawn"), list):
            raise BadDocument(f"{where}: an object with its drawn nights")
        if not isinstance(start.get("stopped_at"), str):
            raise BadDocument(f"{where}: stopped_at must be a date and time")
        try:
            dt.datetime.fromisoformat(start["stopped_at"])
        except ValueError:
            raise BadDocument(f"{where}: stopped_at must be a date and time") from None
        for night in start["drawn"]:
            if (
                not isinstance(night, dict)
                or night.get("condition") not in CONDITIONS
                or not isinstance(night.get("label"), str)
                or not isinstance(night.get("night"), str)
            ):
                raise BadDocument(f"{where}: each drawn night has a night, condition and label")
            dt.date.fromisoformat(night["night"])


def outcomes_problem(outcome: Any, secondary_outcomes: Any) -> str | None:
    """What an experiment measures: outcomes that the analysis knows, each once."""
    if outcome not in OUTCOMES:
        return f"outcome {outcome!r} is not one backcoach measures"
    if not isinstance(secondary_outcomes, list) or len(set(secondary_outcomes)) != len(
        secondary_outcomes
    ):
        return "secondary_outcomes must be a list of outcomes, each once"
    unknown = [key for key in secondary_outcomes if key not in OUTCOMES]
    if unknown or outcome in secondary_outcomes:
        return f"secondary_outcomes: {(unknown or [outcome])[0]!r} is not a second outcome"
    return None


# An experiment brought back from an export (backcoach import) keeps its record but is
# over: it arrives finished, or stopped if its schedule had nights left, and never runs on
# with a seed that a file chose.
ENDED = ("finished", "stopped")


def imported_status(status: str, *, last_night: dt.date, today: dt.date) -> str:
    """The status an imported experiment arrives with: its own if it had ended, else
    finished when its schedule is over by `today` (the person's present night) and
    stopped when it is not."""
    if status in ENDED:
        return status
    return "finished" if today > last_night else "stopped"


def imported_record(
    data: Any,
    *,
    first_night: dt.date,
    pairs: int,
    seed: int,
    outcome: str,
    secondary_outcomes: list[str],
) -> tuple[dict, list[str]]:
    """The record an imported experiment keeps: the exported one, checked like
    `backcoach experiment reanalyse` checks it and belonging to the experiment's own
    schedule and outcome, with its analysis re-run on its nights (the same, unless this
    backcoach analyses differently: the differences are returned)."""
    fresh, differences = reanalysed(data)
    schedule = Schedule.from_dict(data["schedule"])
    if (schedule.first_night, schedule.pairs, schedule.seed) != (first_night, pairs, seed):
        raise BadDocument("its schedule is not the experiment's (first_night, pairs, seed)")
    protocol = data["protocol"]
    if protocol.get("outcome") != outcome:
        raise BadDocument("its outcome is not the experiment's")
    if list(protocol.get("secondary_outcomes") or []) != list(secondary_outcomes):
        raise BadDocument("its secondary outcomes are not the experiment's")
    return {**data, "analysis": fresh}, differences
