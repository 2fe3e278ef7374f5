"""django-auditlog's middleware, told the client address the way the rest of the site is."""

from auditlog.context import disable_auditlog
from auditlog.middleware import AuditlogMiddleware

from accounts.clients import client_address


class AuditTrailMiddleware(AuditlogMiddleware):
    """Records who changed what, from where; anonymous requests are not staff actions.

    auditlog's own middleware takes the first X-Forwarded-For entry, which any client
    can write; this one takes ``client_address``. Anonymous requests (a customer's
    order, a search tally) are left out: the trail is for staff and agents, and those
    requests already keep their own history (order events).
    """

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request) or None

    def __call__(self, request):
        if getattr(request, "user", None) is None or not request.user.is_authenticated:
            with disable_auditlog():
                return self.get_response(request)
        return super().__call__(request)
