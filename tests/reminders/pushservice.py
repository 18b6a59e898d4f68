"""A push service on this machine that checks what a real one checks, and reads each
message as the browser would.

- VAPID (RFC 8292): the Authorization header is `vapid t=<JWT>, k=<public key>`; the JWT
  is verified (ES256) with that key, which must be the server's, and its claims read:
  `aud` this service's origin, `exp` in the next 24 hours, `sub` a contact.
- Encryption (RFC 8291, aes128gcm): the body is decrypted with the browser's private key
  and auth secret, made here for each subscription as a browser makes them.

Answers 201, or what a test queues for a subscription (`answer(name, 410, ...)`).
"""

import base64
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

VAPID = re.compile(r"^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One subscribed browser: its keys, as PushManager.subscribe() makes them."""

    name: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


@dataclass
class Push:
    browser: str
    message: dict
    claims: dict
    headers: dict


@dataclass
class PushService:
    server_key: str  # the backcoach server's VAPID public key, base64url
    port: int = 0
    browsers: dict[str, Browser] = field(default_factory=dict)
    received: list[Push] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    answers: dict[str, list[int | tuple[int, dict]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def subscribe(self, name: str) -> dict:
        """A new browser's subscription, as PushSubscription.toJSON() gives it."""
        browser = Browser(name, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.browsers[name] = browser
        return {
            "endpoint": f"{self.origin}/push/{name}",
            "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)},
        }

    def answer(self, name: str, *statuses: int | tuple[int, dict]) -> None:
        """Answer the next pushes to `name` with these statuses (or (status, headers)),
        then 201 again."""
        self.answers.setdefault(name, []).extend(statuses)

    def messages(self, name: str) -> list[dict]:
        return [push.message for push in self.received if push.browser == name]

    def take(self, name: str, body: bytes, headers: dict) -> int | tuple[int, dict]:
        with self.lock:
            queued = self.answers.get(name)
            if queued:
                return queued.pop(0)
        problems = []
        claims = self._check_vapid(headers.get("authorization", ""), problems)
        if headers.get("content-encoding") != "aes128gcm":
            problems.append(f"Content-Encoding {headers.get('content-encoding')!r}")
        if not headers.get("ttl", "").isdigit():
            problems.append("no TTL header (RFC 8030 requires one)")
        browser = self.browsers.get(name)
        message = {}
        if browser is None:
            problems.append(f"a push to {name}, which never subscribed")
        else:
            try:
                plain = http_ece.decrypt(
                    body,
                    private_key=browser.private_key,
                    auth_secret=browser.auth,
                    version="aes128gcm",
                )
                message = json.loads(plain)
            except Exception as exc:
                problems.append(f"cannot decrypt the push to {name}: {exc!r}")
        with self.lock:
            self.problems += problems
            if problems:
                return 400
            self.received.append(Push(name, message, claims, headers))
        return 201

    def _check_vapid(self, authorization: str, problems: list[str]) -> dict:
        match = VAPID.match(authorization)
        if not match:
            problems.append(f"Authorization is not 'vapid t=..., k=...': {authorization!r}")
            return {}
        token, key = match.groups()
        if key != self.server_key:
            problems.append("the push is signed with a key that is not the server's")
        header_part, claims_part, signature_part = token.split(".")
        signature = unb64url(signature_part)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        try:
            public.verify(
                encode_dss_signature(
                    int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
                ),
                f"{header_part}.{claims_part}".encode(),
                ec.ECDSA(hashes.SHA256()),
            )
        except InvalidSignature:
            problems.append("the VAPID signature does not verify")
        header = json.loads(unb64url(header_part))
        claims = json.loads(unb64url(claims_part))
        if header.get("alg") != "ES256":
            problems.append(f"JWT alg {header.get('alg')!r}")
        if claims.get("aud") != self.origin:
            problems.append(f"aud {claims.get('aud')!r} is not {self.origin}")
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            problems.append(f"exp {claims.get('exp')} is not within the next 24 hours")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            problems.append(f"sub {claims.get('sub')!r} is no contact")
        return claims

    def start(self) -> "PushService":
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                name = self.path.removeprefix("/push/")
                headers = {key.lower(): value for key, value in self.headers.items()}
                answer = service.take(name, body, headers)
                status, extra = answer if isinstance(answer, tuple) else (answer, {})
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
