"""The audio track on the server: asked for by the player page, rendered once in the
background, kept whole in the data folder, and served in byte ranges to its person."""

import gzip
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from backcoach.player import tasks
from backcoach.player.audio import store
from backcoach.safety.services import conditions_save, screen_record
from tests.factories import make_routine, make_technique
from tests.player.audio_helpers import decode

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def screened(person):
    screen_record(person=person, answers={})
    return person


@pytest.fixture
def rendered(voice, screened, person_client, routine, settings):
    """The routine's track, rendered for the person, and its URL."""
    settings.TASKS = IMMEDIATE
    answer = person_client.post(reverse("player:track_request", args=[routine.slug]))
    assert answer.status_code == 200, answer.content
    return answer.json()["url"]


def play(client, routine):
    response = client.get(reverse("player:play", args=[routine.slug]))
    assert response.status_code == 200
    return response


def track_files(tmp_path):
    return sorted(path.name for path in (tmp_path / "tracks").glob("*"))


@pytest.mark.django_db
def test_until_its_track_is_ready_the_page_speaks_and_asks_for_it_without_writing(
    voice, screened, person_client, routine, tmp_path
):
    with CaptureQueriesContext(connection) as queries:
        script = play(person_client, routine).context["script"]
    assert script["trackUrl"] is None
    assert script["trackRequestUrl"] == reverse("player:track_request", args=[routine.slug])
    # A GET only looks: asking (which queues work) is the page's POST once it has loaded.
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert track_files(tmp_path) == []
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_asking_again_and_again_queues_one_render(voice, screened, person_client, routine):
    url = reverse("player:track_request", args=[routine.slug])
    answers = [person_client.post(url) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [202, 202, 202]
    assert {answer.json()["status"] for answer in answers} == {"queued"}
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "backcoach.player.tasks.render_track"
    assert queued.args_kwargs["kwargs"]["voice"] == voice.name


@pytest.mark.django_db
def test_a_render_asked_for_long_ago_and_lost_is_asked_for_again(
    voice, screened, person_client, routine, monkeypatch
):
    url = reverse("player:track_request", args=[routine.slug])
    person_client.post(url)
    monkeypatch.setattr(store, "QUEUED_SECONDS", -1)  # the worker died: the ask is old
    person_client.post(url)
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_once_rendered_the_page_plays_the_track(rendered, person_client, routine, tmp_path, voice):
    response = play(person_client, routine)
    script = response.context["script"]
    assert script["trackUrl"] == rendered
    assert script["trackRequestUrl"] is None
    assert f'<audio id="track" preload="none" src="{rendered}"' in response.content.decode()
    name = rendered.rsplit("/", 1)[1].removesuffix(".mp3")
    assert track_files(tmp_path) == [f"{name}.mp3"]  # no mark left, no scrap
    assert voice.speaker.said[0].startswith("Get ready. First: ")


@pytest.mark.django_db
def test_without_a_voice_there_is_no_track_and_nothing_to_ask_for(
    settings, tmp_path, monkeypatch, screened, person_client, routine
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(store, "track_voice", lambda: None)
    script = play(person_client, routine).context["script"]
    assert (script["trackUrl"], script["trackRequestUrl"]) == (None, None)
    answer = person_client.post(reverse("player:track_request", args=[routine.slug]))
    assert answer.json() == {"status": "unavailable"}
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_a_persons_cautions_make_a_track_of_their_own(
    voice, screened, person_client, settings, stranger, stranger_client
):
    settings.TASKS = IMMEDIATE
    technique = make_technique(cautions=[{"key": "pregnancy", "say": "Lie on your side."}])
    routine = make_routine(techniques=[technique])
    screen_record(person=stranger, answers={})
    conditions_save(person=stranger, keys=["pregnancy"])
    url = reverse("player:track_request", args=[routine.slug])
    mine, theirs = person_client.post(url).json()["url"], stranger_client.post(url).json()["url"]
    assert mine != theirs
    # Rendered twice: the caution is in the stranger's track alone.
    assert sum("Take care: Lie on your side." in said for said in voice.speaker.said) == 1


@pytest.mark.django_db
def test_a_routine_wholly_ruled_out_has_no_track_to_ask_for(voice, screened, person_client):
    routine = make_routine(techniques=[make_technique(excludes=["pregnancy"])])
    conditions_save(person=screened, keys=["pregnancy"])
    answer = person_client.post(reverse("player:track_request", args=[routine.slug]))
    assert answer.status_code == 404
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_asking_needs_a_post_from_a_logged_in_person(voice, client, person_client, routine):
    url = reverse("player:track_request", args=[routine.slug])
    assert person_client.get(url).status_code == 405
    assert client.post(url).status_code == 302  # to the log-in page
    assert DBTaskResult.objects.count() == 0


# Serving --------------------------------------------------------------------------------


def whole(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_the_whole_track_is_served_with_ranges_offered_and_cached_for_good(rendered, person_client):
    response = person_client.get(rendered)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(body))
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    _, decoded = decode(body)
    assert 70 < decoded.duration < 74  # 10 s lead-in, a minute, and the closing words


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-1", 0, 1), ("bytes=100-", 100, None), ("bytes=-10", -10, None)],
)
def test_a_range_is_answered_with_206_and_exactly_those_bytes(
    rendered, person_client, header, first, last
):
    body = whole(person_client, rendered)
    size = len(body)
    response = person_client.get(rendered, HTTP_RANGE=header)
    assert response.status_code == 206
    start = first % size
    end = size - 1 if last is None else last
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response.content == body[start : end + 1]
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=-0"])
def test_a_range_past_the_end_is_answered_with_416_and_the_size(rendered, person_client, header):
    size = len(whole(person_client, rendered))
    response = person_client.get(rendered, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["bytes=5-1", "bytes=0-1,4-5", "lines=1-2", "bytes=x", "bytes=" + "9" * 400]
)
def test_a_range_header_that_does_not_parse_gets_the_whole_track(rendered, person_client, header):
    body = whole(person_client, rendered)
    response = person_client.get(rendered, HTTP_RANGE=header)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body


@pytest.mark.django_db
def test_a_range_of_another_version_gets_the_whole_track(rendered, person_client):
    response = person_client.get(rendered, HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE='"other"')
    assert response.status_code == 200
    name = rendered.rsplit("/", 1)[1].removesuffix(".mp3")
    same = person_client.get(rendered, HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE=f'"{name}"')
    assert same.status_code == 206


@pytest.mark.django_db
def test_a_range_is_never_compressed_but_the_whole_track_may_be(rendered, person_client):
    body = whole(person_client, rendered)
    ranged = person_client.get(rendered, HTTP_RANGE="bytes=0-9999", HTTP_ACCEPT_ENCODING="gzip")
    assert ranged.status_code == 206
    assert not ranged.has_header("Content-Encoding")
    assert ranged.content == body[:10000]
    full = person_client.get(rendered, HTTP_ACCEPT_ENCODING="gzip")
    assert full["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(full.streaming_content)) == body


@pytest.mark.django_db
def test_head_answers_the_size_without_the_bytes(rendered, person_client):
    size = len(whole(person_client, rendered))
    response = person_client.head(rendered)
    assert response.status_code == 200
    assert response["Content-Length"] == str(size)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/play/tracks/" + "0" * 64 + ".mp3",  # well formed, never rendered
        "/play/tracks/" + "A" * 64 + ".mp3",
        "/play/tracks/../../settings.mp3",
        "/play/tracks/%2e%2e%2fbackcoach.sqlite3.mp3",
        "/play/tracks/" + "0" * 63 + ".mp3",
        "/play/tracks/" + "0" * 64 + ".wav",
    ],
)
def test_a_name_that_is_no_track_is_not_found(voice, person_client, path):
    response = person_client.get(path, HTTP_RANGE="bytes=0-")
    assert response.status_code == 404


@pytest.mark.django_db
def test_only_a_logged_in_person_gets_a_track(rendered, client):
    response = client.get(rendered)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(rendered).status_code == 302


# Rendering ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_with_another_voice_renders_nothing_and_the_ask_stands(
    voice, screened, routine, person_client, tmp_path
):
    person_client.post(reverse("player:track_request", args=[routine.slug]))
    queued = DBTaskResult.objects.get().args_kwargs["kwargs"]
    with pytest.raises(RuntimeError, match="voice"):
        tasks.render_track.call(spoken=queued["spoken"], voice="another voice")
    assert [name for name in track_files(tmp_path) if name.endswith(".mp3")] == []
    assert [name for name in track_files(tmp_path) if name.endswith(".queued")]


@pytest.mark.django_db
def test_the_worker_renders_what_was_asked_for_and_the_page_finds_it(
    voice, screened, routine, person_client, tmp_path
):
    person_client.post(reverse("player:track_request", args=[routine.slug]))
    queued = DBTaskResult.objects.get().args_kwargs["kwargs"]
    name = tasks.render_track.call(**queued)
    assert track_files(tmp_path) == [f"{name}.mp3"]
    assert play(person_client, routine).context["script"]["trackUrl"].endswith(f"/{name}.mp3")


def test_two_workers_rendering_one_track_at_once_leave_it_whole(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    name = "a" * 64
    versions = [bytes([n]) * 3_000_000 for n in range(2)]
    seen = []

    def write(data):
        store.save(name, data)

    def read():
        for _ in range(200):
            path = store.path_for(name)
            if path.exists():
                seen.append(path.read_bytes())

    threads = [threading.Thread(target=write, args=(data,)) for data in versions * 3]
    threads.append(threading.Thread(target=read))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.path_for(name).read_bytes() in versions
    assert all(data in versions for data in seen)  # never half of one
    assert track_files(tmp_path) == [f"{name}.mp3"]  # no scraps


def test_a_render_that_fails_while_writing_leaves_no_file(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path

    def disk_full(_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        store.save("b" * 64, b"half a track")
    assert track_files(tmp_path) == []


def test_only_a_tracks_name_makes_a_path(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for name in ["../x", "a" * 63, "A" * 64, "a" * 64 + "\n", ""]:
        with pytest.raises(ValueError, match="not a track name"):
            store.path_for(name)
