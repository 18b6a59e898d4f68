"""Counting the bytes a page costs: `CountingProxy` counts every byte on the wire between
browser and server; `NetworkLog` sizes each resource (the page's requests from the Chrome
DevTools Protocol, the service worker's own fetches from Playwright's context events)."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from dataclasses import dataclass

from processes import HOST

KB = 1000  # kB as browsers' developer tools show them


class CountingProxy:
    """A TCP relay from a free port of 127.0.0.1 to the server that counts what it relays.

    The browser talks to the server through it, so `down` is every byte the server sent to
    the browser (status lines, headers and bodies as sent: compressed when compressed),
    whoever asked for it: the page, the service worker, the browser itself.
    """

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind((HOST, 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.down = 0
        self.up = 0
        self.last_activity = time.monotonic()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection((HOST, self.target_port), timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for src, dst, down in ((client, upstream, False), (upstream, client, True)):
                thread = threading.Thread(target=self._pump, args=(src, dst, down), daemon=True)
                self._threads.append(thread)
                thread.start()

    def _pump(self, src: socket.socket, dst: socket.socket, down: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
                with self._lock:
                    if down:
                        self.down += len(data)
                    else:
                        self.up += len(data)
                    self.last_activity = time.monotonic()
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

    def snapshot(self) -> int:
        with self._lock:
            return self.down

    def wait_quiet(self, quiet: float = 1.5, timeout: float = 20.0) -> bool:
        """Wait until nothing has been relayed for `quiet` seconds; False at the deadline."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = time.monotonic() - self.last_activity
            if idle >= quiet:
                return True
            time.sleep(0.1)
        return False

    def close(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self._acceptor.join(timeout=2)
        for thread in self._threads:
            thread.join(timeout=2)


@dataclass
class Resource:
    url: str
    source: str  # "page" (CDP Network of the page) or "sw" (the service worker's own fetch)
    status: int = 0
    transferred: int = 0  # encoded bytes received, headers included (0 when from a cache)
    headers: int = 0
    encoding: str = ""
    mime: str = ""
    cached: str = ""  # "disk", "service worker", "memory" or ""

    @property
    def body(self) -> int:
        return max(0, self.transferred - self.headers)


class NetworkLog:
    """Per-resource sizes: the page's requests from its CDP Network domain
    (`loadingFinished.encodedDataLength`), the service worker's from Playwright's context
    events (its `request.sizes()` come from the worker's own CDP Network domain)."""

    def __init__(self, context, page):
        self.resources: dict[str, Resource] = {}
        self.order: list[str] = []
        self.sw_requests: list = []
        self.document_accept_encoding = ""
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.requestWillBeSentExtraInfo", self._extra)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        context.on("requestfinished", self._context_request)

    def clear(self) -> None:
        self.resources.clear()
        self.order.clear()
        self.sw_requests.clear()

    def _get(self, request_id: str) -> Resource:
        if request_id not in self.resources:
            self.resources[request_id] = Resource(url="", source="page")
            self.order.append(request_id)
        return self.resources[request_id]

    def _extra(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        if not self.document_accept_encoding and "accept-encoding" in headers:
            self.document_accept_encoding = headers["accept-encoding"]

    def _response(self, event: dict) -> None:
        response = event["response"]
        resource = self._get(event["requestId"])
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        resource.url = response["url"]
        resource.status = response["status"]
        resource.headers = int(response.get("encodedDataLength") or 0)
        resource.encoding = headers.get("content-encoding", "")
        resource.mime = response.get("mimeType", "")
        if response.get("fromServiceWorker"):
            resource.cached = "service worker"
        elif response.get("fromDiskCache"):
            resource.cached = "disk"
        elif response.get("fromMemoryCache"):
            resource.cached = "memory"

    def _finished(self, event: dict) -> None:
        self._get(event["requestId"]).transferred = int(event.get("encodedDataLength") or 0)

    def _context_request(self, request) -> None:
        if getattr(request, "service_worker", None) is not None:
            self.sw_requests.append(request)

    def collect(self) -> list[Resource]:
        found = [self.resources[key] for key in self.order if self.resources[key].url]
        for request in self.sw_requests:
            sizes = request.sizes()
            response = request.response()
            headers = response.headers if response else {}
            transferred = max(0, sizes["responseBodySize"]) + sizes["responseHeadersSize"]
            cached = ""
            if sizes["responseBodySize"] < 0:  # answered from the HTTP cache
                transferred, cached = 0, "disk"
            found.append(
                Resource(
                    url=request.url,
                    source="sw",
                    status=response.status if response else 0,
                    transferred=transferred,
                    headers=sizes["responseHeadersSize"],
                    encoding=headers.get("content-encoding", ""),
                    mime=headers.get("content-type", ""),
                    cached=cached,
                )
            )
        return found


TEXT_TYPES = ("text/", "javascript", "json", "svg", "xml")
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")  # ManifestStaticFilesStorage names


def describe(resources: list[Resource], base: str, limit: int = 6) -> str:
    biggest = sorted(resources, key=lambda r: r.transferred, reverse=True)[:limit]
    parts = []
    for r in biggest:
        if r.transferred <= 0:
            continue
        path = r.url.removeprefix(base)
        how = r.encoding or "not compressed"
        parts.append(
            f"{path} {r.transferred / KB:.1f} ({how}{', by the SW' if r.source == 'sw' else ''})"
        )
    return ", ".join(parts)


def uncompressed_text(resources: list[Resource]) -> list[Resource]:
    return [
        r
        for r in resources
        if r.body > 1000 and not r.encoding and any(t in r.mime for t in TEXT_TYPES)
    ]
