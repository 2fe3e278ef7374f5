"""Encryption at rest, keyed look-up hashes and masking for ID numbers.

FIELD_ENCRYPTION_KEY holds one or more Fernet keys separated by commas: the
first encrypts, every one decrypts (MultiFernet), so a key can be rotated by
putting a new one in front. The look-up hash is an HMAC-SHA256 whose key is
derived (HKDF) from the *last* key in the list, so adding a new key in front
does not change the hashes already stored. SECRET_KEY is never used here:
rotating it must not make ID numbers unreadable.
"""

import base64
import hmac
from functools import cache
from hashlib import sha256

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_LOOKUP_INFO = b"reseller compliance: ID number look-up hash v1"


def _keys() -> list[str]:
    keys = [key.strip() for key in str(settings.FIELD_ENCRYPTION_KEY).split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is needed to store ID numbers.")
    return keys


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


@cache
def _lookup_key(key: str) -> bytes:
    raw = base64.urlsafe_b64decode(key.encode())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LOOKUP_INFO).derive(raw)


def normalise_id_number(value: str) -> str:
    return "".join(value.split()).upper()


def encrypt(value: str) -> str:
    return _fernet(tuple(_keys())).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(tuple(_keys())).decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """A stable keyed hash, so equal ID numbers can be found without decrypting."""
    key = _lookup_key(_keys()[-1])
    return hmac.new(key, normalise_id_number(value).encode(), sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """110101199001011234 -> 110***********1234: the region and the last four only."""
    value = normalise_id_number(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
