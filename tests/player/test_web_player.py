"""The web player's page and modules: the server's limits come in its script data, every
module it imports is kept by the service worker for offline play, and the page asks for
them all at once."""

import json
import re
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.urls import reverse

from backcoach import views
from backcoach.player import models, timeline
from backcoach.safety.services import screen_record

STATIC = Path(views.__file__).parent / "static"
ENTRY = "js/player.js"
# `import … from "./x.js";` and `import "./x.js";`, as the static storage rewrites them.
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?["'](\.{1,2}/[^"']+)["']\s*;""", re.M | re.S)


def modules_from(entry: str) -> set[str]:
    """The static paths of `entry` and of every module it imports, however deep."""
    found, waiting = set(), [entry]
    while waiting:
        path = waiting.pop()
        if path in found:
            continue
        found.add(path)
        source = (STATIC / path).read_text()
        for imported in IMPORT.findall(source):
            resolved = (STATIC / path).parent.joinpath(imported).resolve()
            waiting.append(resolved.relative_to(STATIC.resolve()).as_posix())
    return found


def test_every_module_the_player_imports_is_kept_for_offline_play():
    modules = modules_from(ENTRY)
    assert {"js/player/timeline.js", "js/sync.js"} <= modules
    assert modules <= set(views.OFFLINE_ASSETS)


def test_a_module_left_out_of_the_offline_list_is_found(monkeypatch):
    kept = [path for path in views.OFFLINE_ASSETS if path != "js/player/upload.js"]
    monkeypatch.setattr(views, "OFFLINE_ASSETS", kept)
    assert modules_from(ENTRY) - set(views.OFFLINE_ASSETS) == {"js/player/upload.js"}


@pytest.mark.django_db
def test_the_player_page_carries_the_servers_limits_in_its_script_data(
    person_client, person, routine
):
    screen_record(person=person, answers={})
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    assert response.status_code == 200
    data = re.search(
        r'<script id="routine-script" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert json.loads(data.group(1))["limits"] == {
        "staleCueSeconds": timeline.STALE_CUE_SECONDS,
        "maxSkippedCues": models.MAX_SKIPPED_CUES,
        "maxCueCharacters": models.MAX_CUE_WORDS,
    }


@pytest.mark.django_db
def test_the_player_page_asks_for_every_module_beside_its_entry(person_client, person, routine):
    """Without the preloads a phone would fetch the entry, read it, then fetch the rest."""
    screen_record(person=person, answers={})
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', response.content.decode())
    assert sorted(preloaded) == sorted(static(path) for path in modules_from(ENTRY) - {ENTRY})
