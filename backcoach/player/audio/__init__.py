"""The routine as an audio track, rendered on the server in a natural offline voice.

- `voices`: which voice is installed (piper-tts with the joe voice, else espeak-ng, else
  none) and how each turns a cue's words into samples. Pure Python, no Django.
- `track`: what a track says and when, its name (a hash of what it says), the mixing of
  cues, chimes and silence, and the MP3. Pure Python, no Django.
- `store`: the tracks folder in the data folder, written whole or not at all.

The page never waits for a track: `player.tasks` renders it in the background worker.
"""
