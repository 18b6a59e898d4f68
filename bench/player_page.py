"""The player page the browser benchmarks load, and a demo person who may open it."""

from __future__ import annotations

from context import Context
from figures import BenchError
from processes import HOST
from web import CSRF_INPUT, Client

PLAYER_PATH = "/play/bedtime-back-self-massage/"
SCREEN_PATH = "/safety/screen/"


def player_session(ctx: Context) -> tuple[int, str]:
    """The shared server's port and a session for which the player page answers 200.

    Before a person's first routine the safety screen stands in the way (the player
    redirects to /safety/screen/). The demo person answers it as a person with none of
    the red flags does: the form posted with nothing ticked. Once per data folder.
    """
    port = ctx.server().port
    cookie = ctx.session_cookie()
    client = Client(port)
    client.cookies["sessionid"] = cookie
    try:
        answer = client.get(PLAYER_PATH)
        if answer.status == 302 and answer.headers.get("Location", "").startswith(SCREEN_PATH):
            ctx.say("the demo person answers the safety screen (no red flags ticked)")
            form = client.get(SCREEN_PATH)
            token = CSRF_INPUT.search(form.body)
            if form.status != 200 or not token:
                raise BenchError(f"{SCREEN_PATH} answered {form.status} without a form")
            posted = client.request(
                "POST",
                SCREEN_PATH,
                body=f"csrfmiddlewaretoken={token.group(1).decode()}".encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{port}{SCREEN_PATH}",
                },
            )
            if posted.status != 302:
                raise BenchError(f"posting the safety screen answered {posted.status}")
            answer = client.get(PLAYER_PATH)
        if answer.status != 200 or b'id="player"' not in answer.body:
            where = answer.headers.get("Location", "")
            raise BenchError(
                f"{PLAYER_PATH} answered {answer.status} {where} for the demo person, "
                "not the player"
            )
    finally:
        client.close()
    return port, cookie


def open_player(page, base: str) -> None:
    response = page.goto(base + PLAYER_PATH, wait_until="load")
    if response is None or response.status != 200:
        raise BenchError(f"{PLAYER_PATH} answered {response.status if response else 'nothing'}")
    landed = page.url.removeprefix(base)
    if landed != PLAYER_PATH:
        raise BenchError(
            f"{PLAYER_PATH} sent the demo person to {landed} ({page.title()!r}) instead of "
            "the player"
        )
    if page.locator("#player").count() != 1:
        raise BenchError(f"{PLAYER_PATH} has no #player ({page.title()!r})")
    page.wait_for_selector('#player[data-ready="true"]', state="attached")
