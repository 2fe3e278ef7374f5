"""Print a local .env with freshly generated secrets (``make .env``)."""

import secrets

from cryptography.fernet import Fernet

print("# Local settings made by `make`; never commit. See .env.example for every variable.")
print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"FIELD_ENCRYPTION_KEY={Fernet.generate_key().decode()}")
