"""HTTP to the benchmarked servers: a keep-alive `Client` with cookies that reads
`Server-Timing`, and `log_in` through the real log-in form.

(Not `http.py`: bench/ is first on sys.path when run.py runs, and that name would hide
the standard library's `http` package.)
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from figures import BenchError
from processes import HOST

SERVER_TIMING = re.compile(r"\bapp;dur=([0-9]+(?:\.[0-9]+)?)")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float  # client-side round trip

    @property
    def server_ms(self) -> float | None:
        match = SERVER_TIMING.search(self.headers.get("Server-Timing", ""))
        return float(match.group(1)) if match else None


class Client:
    """A keep-alive HTTP/1.1 client for 127.0.0.1 with a minimal cookie jar."""

    def __init__(self, port: int, timeout: float = 15.0):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):  # one retry: the server may close an idle keep-alive socket
            if self._conn is None:
                self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                started = time.perf_counter()
                self._conn.request(method, path, body=body, headers=headers)
                raw = self._conn.getresponse()
                data = raw.read()
                elapsed = time.perf_counter() - started
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
                continue
            if raw.will_close:
                self.close()
            for header in raw.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(raw.status, raw.headers, data, elapsed)
        raise BenchError("unreachable")

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def log_in(port: int, email: str, password: str) -> str:
    """Log in like a browser does; return the sessionid cookie."""
    return log_in_cookies(port, email, password)["sessionid"]


def log_in_cookies(port: int, email: str, password: str) -> dict[str, str]:
    """Log in like a browser does; return the cookies it then holds (`sessionid`, and the
    `csrftoken` that a POST sends back in its X-CSRFToken header)."""
    client = Client(port)
    try:
        page = client.get("/accounts/login/")
        if page.status != 200:
            raise BenchError(f"GET /accounts/login/ answered {page.status}")
        token = CSRF_INPUT.search(page.body)
        if not token or "csrftoken" not in client.cookies:
            raise BenchError("the log-in page has no csrftoken cookie or csrfmiddlewaretoken")
        form = urlencode(
            {
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        ).encode()
        answer = client.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{port}/accounts/login/",
            },
        )
        if answer.status != 302 or "sessionid" not in client.cookies:
            raise BenchError(
                f"logging in as {email} failed: HTTP {answer.status}, "
                f"cookies {sorted(client.cookies)}"
            )
        return dict(client.cookies)
    finally:
        client.close()
