"""The server's VAPID key pair: made into the data folder on first use, like the secret key.

Browsers subscribe with the public key, and a push service accepts only pushes signed
with its private key: several servers on one database must therefore share the file
(BACKCOACH_VAPID_KEY_FILE), as they share SECRET_KEY.
"""

import base64
import contextlib
import functools
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid() -> Vapid:
    """The key pair, read (or made) once per process and key file."""
    return _vapid(Path(settings.VAPID_PRIVATE_KEY_FILE))


def application_server_key() -> str:
    """The public key as the Push API's `applicationServerKey` (base64url, uncompressed)."""
    point = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


@functools.cache
def _vapid(path: Path) -> Vapid:
    if not path.exists():
        _create(path)
    try:
        return Vapid.from_pem(path.read_bytes())
    except Exception as exc:  # py_vapid raises whatever cryptography raised
        raise ImproperlyConfigured(
            f"{path} holds no VAPID private key ({exc}); delete it to make a new one "
            f"(browsers then subscribe again)"
        ) from None


def _create(path: Path) -> None:
    """Write a new key where none is. Written whole to a temporary file and then linked
    into place: link refuses to replace a file, so when two processes start at once one
    key wins and neither reads a half-written one."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp makes it mode 600
            handle.write(pem)
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
