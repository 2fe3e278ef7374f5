import logging
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from accounts.clients import client_address
from accounts.roles import is_agent
from compliance import quotas, services, storage
from compliance.filecheck import UploadRejected, too_large
from compliance.forms import MAX_UPLOAD_BYTES, AddNumberForm, DocumentUploadForm, SubscriberForm
from compliance.models import Campaign, Document, Subscriber, SubscriberStatus
from compliance.orders import assigned_orders, orders_without_subscriber

logger = logging.getLogger(__name__)


class AgentMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Only agents work in the portal, and each sees only its own subscribers."""

    raise_exception = False

    def test_func(self):
        return is_agent(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()

    def own_subscribers(self):
        return Subscriber.objects.visible_to(self.request.user).filter(agent=self.request.user)


class OverviewView(AgentMixin, TemplateView):
    template_name = "compliance/overview.html"

    def get_context_data(self, **kwargs):
        subscribers = self.own_subscribers().prefetch_related("numbers", "documents")
        to_do = [
            (subscriber, [item for item in subscriber.checklist() if not item.done])
            for subscriber in subscribers
            if subscriber.status != SubscriberStatus.VERIFIED
        ]
        return super().get_context_data(
            subscribers=subscribers,
            orders=assigned_orders(self.request.user),
            campaigns=Campaign.objects.filter(is_active=True).order_by("deadline"),
            to_do=to_do,
            **kwargs,
        )


class SubscriberCreateView(AgentMixin, FormView):
    """A subscriber typed in by hand, or (``?order=<id>``) from an order assigned to the agent."""

    template_name = "compliance/subscriber_form.html"
    form_class = SubscriberForm

    def dispatch(self, request, *args, **kwargs):
        self.order = None
        order_id = request.GET.get("order", "")
        if is_agent(request.user) and order_id:
            if not order_id.isdigit():
                raise Http404
            self.order = get_object_or_404(orders_without_subscriber(request.user), pk=order_id)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.order is None:
            return {"handled_by_legal_rep": True}
        return {
            "company_name": self.order.company,
            "contact_name": self.order.name,
            "contact_phone": self.order.mobile,
            "handled_by_legal_rep": True,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, **kwargs)

    def form_valid(self, form):
        subscriber = services.subscriber_create(
            agent=self.request.user, order=self.order, **form.cleaned_data
        )
        messages.success(self.request, _("The subscriber is registered; now upload the documents."))
        return redirect(subscriber)


class SubscriberDetailView(AgentMixin, View):
    def get(self, request, pk):
        return self.render(DocumentUploadForm())

    def render(self, form, status=200, number_form=None):
        subscriber = get_object_or_404(self.own_subscribers(), pk=self.kwargs["pk"])
        context = {
            "subscriber": subscriber,
            "checklist": subscriber.checklist(),
            "documents": subscriber.documents.prefetch_related("reviews"),
            "holdings": subscriber.holdings.select_related("number", "order"),
            "storage": quotas.subscriber_usage(subscriber),
            "agent_storage": quotas.agent_usage(self.request.user),
            "form": form,
            "number_form": number_form or AddNumberForm(user=self.request.user),
        }
        return render(self.request, "compliance/subscriber_detail.html", context, status=status)


class UploadLimitHandler(FileUploadHandler):
    """Stops taking a file in once it passes the limit, so no upload can fill the disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise SkipFile  # the parser closes (and so deletes) what was spooled
        return raw_data

    def file_complete(self, file_size):
        return None


@method_decorator([csrf_exempt, require_POST], name="dispatch")
class DocumentUploadView(SubscriberDetailView):
    def dispatch(self, request, *args, **kwargs):
        # The limit has to be in place before anything reads the body, the CSRF check
        # included; so the check runs here, after it (the class is csrf_exempt for that).
        request.upload_handlers.insert(0, UploadLimitHandler(request, MAX_UPLOAD_BYTES))
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def post(self, request, pk):
        subscriber = get_object_or_404(self.own_subscribers(), pk=pk)
        form = DocumentUploadForm(
            request.POST,
            request.FILES,
            admit=partial(quotas.check_upload, request, subscriber=subscriber),
        )
        if getattr(request, "upload_too_large", False):
            form.is_valid()
            form.errors.pop("file", None)
            refused = too_large(MAX_UPLOAD_BYTES)
            form.add_error("file", ValidationError(refused.message, params=refused.params))
        elif form.is_valid():
            try:
                services.document_upload(
                    subscriber=subscriber,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    inspected=form.inspected,
                    original_name=form.cleaned_data["file"].name,
                    valid_until=form.cleaned_data["valid_until"],
                    uploaded_by=request.user,
                    ip=client_address(request) or None,
                )
            except UploadRejected as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The document was uploaded and waits for review."))
                return redirect(subscriber)
        return self.render(form, status=400)


@method_decorator(require_POST, name="dispatch")
class AddNumberView(SubscriberDetailView):
    """Link the number of one of the agent's orders to this subscriber."""

    def post(self, request, pk):
        subscriber = get_object_or_404(self.own_subscribers(), pk=pk)
        form = AddNumberForm(request.POST, user=request.user, subscriber=subscriber)
        if not form.is_valid():
            return self.render(DocumentUploadForm(), status=400, number_form=form)
        order = form.cleaned_data["order"]
        services.subscriber_add_number(
            subscriber=subscriber,
            number=order.number,
            order=order,
            confirmed_by=request.user if form.company_differs else None,
        )
        messages.success(request, _("The number is added to this subscriber."))
        return redirect(subscriber)


@method_decorator(xframe_options_sameorigin, name="dispatch")
class DocumentFileView(LoginRequiredMixin, View):
    """The only way a stored document leaves the server, for those allowed to see it.

    Images are shown through their re-encoded, metadata-free copy; ``?original=1``
    downloads the file exactly as uploaded (the evidence). Admin previews it in a frame
    of the same origin, hence SAMEORIGIN instead of the site's DENY.
    """

    def get(self, request, pk):
        document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
        as_attachment = request.GET.get("original") == "1"
        name = document.stored_name if as_attachment else document.display_name
        name = name or document.stored_name
        services.document_record_access(
            document=document,
            user=request.user,
            ip=client_address(request) or None,
            as_download=as_attachment,
        )
        accel = settings.PRIVATE_MEDIA_ACCEL_PREFIX
        if accel and not storage.in_bucket():  # nginx can only hand out local files
            response = HttpResponse(content_type=document.content_type)
            response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
        else:
            try:
                handle = storage.open_file(name)
            except FileNotFoundError:
                logger.error("Document %s: stored file %s is missing", document.pk, name)
                return HttpResponse(
                    _("The file is missing from storage; our staff have been told."),
                    status=410,
                    content_type="text/plain; charset=utf-8",
                )
            response = FileResponse(handle, content_type=document.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, _download_name(document)
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        # Sandboxed, whatever the file turns out to be: a PDF (or a polyglot passing for
        # one) runs no script and reaches no cookie of this origin. Chromium's viewer still
        # shows it, in admin's preview frame too (tests/e2e/test_verification.py).
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
            if document.is_image
            else "default-src 'none'; object-src 'self'; sandbox"
        )
        return response


def _download_name(document: Document) -> str:
    """The uploader's name for display, with the extension of what the content really is."""
    stem = document.original_name.rsplit(".", 1)[0] or document.kind
    return f"{stem}{'.jpg' if document.file_type == 'jpeg' else '.' + document.file_type}"
