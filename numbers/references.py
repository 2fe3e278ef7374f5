"""Public order references: their alphabet, length and how a new one is drawn (no Django)."""

import secrets

# Letters and digits that cannot be confused when read over the phone: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """A random public order reference such as ``ZC7K3F9Q`` (31^8 ≈ 8.5 × 10^11 values)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
