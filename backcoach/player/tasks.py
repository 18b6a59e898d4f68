"""The player's background work: rendering a routine's audio track.

A page never waits for a render: it asks (`track_render_request`) and plays with the
browser's speech this time; the worker that `backcoach serve` starts renders the track into
the data folder, and the next visit plays it.
"""

import dataclasses
import logging

from django_tasks import task

from .audio import store
from .audio import track as tracks

logger = logging.getLogger(__name__)


def track_render_request(script: dict) -> store.Track | None:
    """Asks the worker for the track of a player script, once however often it is called
    (until the ask is QUEUED_SECONDS old, when a lost render is asked for again). Returns
    the track (ready or not), or None where this installation cannot make tracks."""
    wanted = store.track_of(script)
    if wanted is None or wanted.ready or not store.claim(wanted.name):
        return wanted
    try:
        render_track.enqueue(spoken=wanted.spoken, voice=wanted.voice)
    except BaseException:
        store.release(wanted.name)  # nothing queued: the next page may ask again
        raise
    # A backend that runs tasks at once (the tests') has rendered it by now.
    return dataclasses.replace(wanted, ready=store.path_for(wanted.name).is_file())


@task()
def render_track(*, spoken: dict, voice: str) -> str:
    """Renders a track in this installation's voice; returns its name.

    The name is computed here from what the track says, never taken from the caller. The
    voice must be the one the page asked for: a worker with another voice (installed
    after the page's server started, say) would make a track that page never finds.
    """
    made_in = store.track_voice()
    if made_in is None or made_in.name != voice:
        found = made_in.name if made_in else "none"
        raise RuntimeError(f"this worker's voice is {found!r}, the track's is {voice!r}")
    name = tracks.track_key(spoken, voice, salt=store.salt())
    if not store.path_for(name).is_file():
        store.save(name, tracks.render(spoken, made_in.open()))
        logger.info("rendered track %s", name)
    # Only once it is there: a render that failed keeps its mark, so that pages ask for it
    # again after QUEUED_SECONDS, not on every visit.
    store.release(name)
    return name
