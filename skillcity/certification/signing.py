"""Ed25519 signing of the QR payload, so a certificate verifies offline with the bureau's public key.

The QR string is `base64url(payload_json) + "." + base64url(signature)`; the payload carries `k`,
the id of the key that signed it (the first 16 hex digits of the SHA-256 of the raw public key).
Rotation: put a new private key in place; keep each retired public key in `keys/public/<kid>.pem`
(or SKILLCITY_VERIFY_KEYS) so certificates signed under it still verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

PRIVATE_KEY_FILE = "certificate_signing_key.pem"


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def keys_dir() -> Path:
    return Path(settings.DATA_DIR) / "keys"


def signing_key() -> Ed25519PrivateKey:
    """SKILLCITY_SIGNING_KEY (PEM text, production) or a key generated once into the data folder."""
    pem = os.environ.get("SKILLCITY_SIGNING_KEY", "").strip()
    if pem:
        key = serialization.load_pem_private_key(pem.replace("\\n", "\n").encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise RuntimeError("SKILLCITY_SIGNING_KEY is not an Ed25519 private key")
        return key
    path = keys_dir() / PRIVATE_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        new = Ed25519PrivateKey.generate()
        data = new.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Write-then-rename so two processes starting at once never read half a key.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.chmod(tmp, 0o600)
        if not path.exists():
            os.replace(tmp, path)
        else:
            tmp.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem if isinstance(pem, bytes) else pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """The current key and every retired one still trusted, by key id."""
    keys: dict[str, Ed25519PublicKey] = {}
    current = signing_key().public_key()
    keys[key_id(current)] = current
    retired = keys_dir() / "public"
    if retired.is_dir():
        for pem_file in sorted(retired.glob("*.pem")):
            public = load_public_key(pem_file.read_bytes())
            keys[key_id(public)] = public
    for block in os.environ.get("SKILLCITY_VERIFY_KEYS", "").split(";;"):
        if block.strip():
            public = load_public_key(block.strip().replace("\\n", "\n"))
            keys[key_id(public)] = public
    return keys


def sign_payload(payload: dict[str, Any], key: Ed25519PrivateKey | None = None) -> str:
    key = key or signing_key()
    body = json.dumps(
        {**payload, "k": key_id(key.public_key())}, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode("utf-8")
    return f"{_b64encode(body)}.{_b64encode(key.sign(body))}"


@dataclass(frozen=True)
class QrCheck:
    """`valid` is True only when the signature holds under a trusted key; `payload` is what it said."""

    valid: bool
    payload: dict[str, Any] | None
    problem: str = ""  # malformed | unknown_key | bad_signature

    @property
    def payload_type(self) -> str:
        """What the signed payload is: "certificate" (no marker) or its `t` marker (e.g. "title")."""
        if self.payload is None:
            return ""
        return str(self.payload.get("t", "certificate"))


def verify_token(token: str, public_keys: dict[str, Ed25519PublicKey] | None = None) -> QrCheck:
    """Check a QR string offline. Needs only the public keys."""
    keys = public_keys if public_keys is not None else trusted_public_keys()
    token = token.strip()
    if "?qr=" in token:  # a whole scanned URL
        token = token.split("?qr=", 1)[1].split("&", 1)[0]
    try:
        body_text, signature_text = token.split(".", 1)
        body = _b64decode(body_text)
        signature = _b64decode(signature_text)
        payload = json.loads(body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("payload is not an object")
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return QrCheck(False, None, "malformed")
    public = keys.get(str(payload.get("k", "")))
    if public is None:
        return QrCheck(False, payload, "unknown_key")
    try:
        public.verify(signature, body)
    except InvalidSignature:
        return QrCheck(False, payload, "bad_signature")
    return QrCheck(True, payload)
