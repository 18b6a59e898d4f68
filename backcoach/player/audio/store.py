"""The tracks folder: DATA_DIR/tracks/<name>.mp3, each written whole or not at all.

Two workers may render the same track at once (two servers on one data folder, or a render
asked for again after a worker died): each writes its own temporary file and moves it into
place with os.replace, which is atomic, so a reader sees no file or a whole one, never half.
A `<name>.queued` file says a render was asked for, so that pages do not ask again while it
runs; after QUEUED_SECONDS it is taken as lost (the worker died) and may be asked again.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.crypto import salted_hmac

from . import track as tracks
from . import voices

NAME = re.compile(r"[0-9a-f]{64}")
QUEUED_SECONDS = 10 * 60
SUFFIX = ".mp3"


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "tracks"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def path_for(name: str) -> Path:
    """The file of a track; refuses anything but a track's name (no path tricks)."""
    if not NAME.fullmatch(name):
        raise ValueError(f"not a track name: {name!r}")
    return folder() / f"{name}{SUFFIX}"


def track_voice() -> voices.Voice | None:
    """The voice tracks are made in here, or None when this installation cannot make
    them (no voice, or no MP3 encoder): the player then keeps the browser's speech."""
    if importlib.util.find_spec("lameenc") is None:
        return None
    return voices.installed_voice()


def salt() -> bytes:
    # Derived from the secret key, as Django derives its other keys: the same on every
    # server of an installation, unknown outside it.
    return salted_hmac("backcoach.player.track", b"", algorithm="sha256").digest()


@dataclass(frozen=True)
class Track:
    """The track a script would be, in this installation's voice; `ready` once on disk."""

    name: str
    voice: str
    spoken: dict
    ready: bool


def track_of(script: dict) -> Track | None:
    """The track of a player script, ready or not; None where no voice can make one."""
    voice = track_voice()
    if voice is None:
        return None
    spoken = tracks.spoken_script(script)
    name = tracks.track_key(spoken, voice.name, salt=salt())
    return Track(name, voice.name, spoken, path_for(name).is_file())


def save(name: str, data: bytes) -> Path:
    """Writes a track whole, then moves it into place in one step."""
    final = path_for(name)
    handle, scratch = tempfile.mkstemp(dir=final.parent, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(scratch, 0o600)
        os.replace(scratch, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(scratch)
        raise
    return final


def claim(name: str) -> bool:
    """True for the one caller that may ask for this track's render now: nobody has asked
    within QUEUED_SECONDS. Creating the mark is atomic (O_EXCL), across processes too."""
    mark = folder() / f"{name}.queued"
    try:
        os.close(os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return True
    except FileExistsError:
        pass
    try:
        if time.time() - mark.stat().st_mtime < QUEUED_SECONDS:
            return False
        os.utime(mark)  # a lost render: ask again, and hold the mark for another while
    except FileNotFoundError:
        return claim(name)  # finished just now; its track is there, or it may be asked for
    return True


def release(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        (folder() / f"{name}.queued").unlink()
