"""`backcoach serve` reads a request line as long as the API's schema says it does, and
answers a longer one itself (gunicorn's 414) before backcoach sees it."""

import http.client

from django.conf import settings

from tests.test_serve_tasks import start_serve


def status_for_request_line_of(port: int, length: int) -> int:
    """The status of a GET whose request line ("GET <target> HTTP/1.1") is `length` bytes."""
    head = "/api/checkins/?padding="
    target = head + "a" * (length - len(f"GET {head} HTTP/1.1"))
    assert len(f"GET {target} HTTP/1.1") == length
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", target)
        return connection.getresponse().status
    finally:
        connection.close()


def test_serve_reads_a_request_line_up_to_the_limit_the_schema_gives(tmp_path):
    server = start_serve(tmp_path, "--no-tasks")
    port = int(server.args[server.args.index("--port") + 1])
    limit = settings.REQUEST_LINE_MAX_BYTES
    try:
        # Not signed in: the API's own JSON 401, so backcoach read the request.
        assert status_for_request_line_of(port, limit) == 401
        assert status_for_request_line_of(port, limit + 1) == 414
    finally:
        server.terminate()
        server.wait(timeout=20)
