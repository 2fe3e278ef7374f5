"""The client's address: one answer for rate limits, lockouts and every evidence log.

Behind ``NUM_PROXIES`` reverse proxies (nginx: one) the client is the address the
outermost trusted proxy put into ``X-Forwarded-For``: the ``NUM_PROXIES``-th entry
from the right, since a client may write anything to the left of it. The header
is believed only when the request really came from a proxy, i.e. from a loopback
or private (RFC 1918) address; a client that reaches the app directly from the internet
(``NUM_PROXIES=1`` set, nginx forgotten) cannot pick its own address with it.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The address of the client that sent ``request``, as text ("" if unknown)."""
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.NUM_PROXIES
    if not hops or not _is_proxy(peer):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return peer
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a garbled header: count the proxy, not whatever it says
        return peer


# Where a reverse proxy of ours can sit: this host, or a private network (RFC 1918, ULA).
_PROXY_NETWORKS = [
    ipaddress.ip_network(network)
    for network in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::1/128",
        "fc00::/7",
    )
]


def _is_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _PROXY_NETWORKS if network.version == ip.version)


# django-axes keeps a failed login's username in a column of 255 characters.
LOCKOUT_USERNAME_LENGTH = 255


def login_username(request, credentials=None) -> str | None:
    """The username a failed login is recorded and locked out under (``AXES_USERNAME_CALLABLE``).

    What was typed, cut to what django-axes can store: Django's login forms send any
    length on to ``authenticate()``, and a 300-character "username" failed to be
    recorded (a database error, so a 503) instead of being refused as a wrong login.
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:LOCKOUT_USERNAME_LENGTH] if isinstance(username, str) else username
