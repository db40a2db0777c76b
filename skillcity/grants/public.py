"""The public notice page (公示): running notices a citizen can search and read, and objections to them
with the receipt number shown where the objector looks for it."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from skillcity.core.access import client_address
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.masking import mask_name
from skillcity.grants import selectors, services
from skillcity.grants.forms import NoticeSearchForm, ObjectionForm
from skillcity.grants.models import PublicNotice
from skillcity.policy import display
from skillcity.web.forms import required_message
from skillcity.web.middleware import body_limited


def notices(
    request: HttpRequest, objection_form: ObjectionForm | None = None, status: int = 200
) -> HttpResponse:
    """Public: the notices running now, searchable and paged, each with a form to lodge an objection."""
    search = NoticeSearchForm(request.GET or None)
    found = selectors.public_notices_current()
    if search.is_bound and search.is_valid():
        found = search.apply(found)
    page = Paginator(found.order_by("-start", "-id"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    cards = []
    for notice in page:
        app = notice.application
        form = objection_form if objection_form and objection_form.notice.pk == notice.pk else None
        cards.append(
            {
                "notice": notice,
                "rule_title": display.rule_title(app.rule_id),
                # 公示 publishes an organisation's name in full and a person's name masked (PIPL).
                "applicant": app.organisation.name if app.organisation else mask_name(app.applicant_name),
                "amount": None if notice.amount is None else f"{notice.amount:,.2f}",  # 128,000.00
                "form": form or ObjectionForm(notice=notice),
            }
        )
    context = {
        "search": search,
        "page": page,
        "cards": cards,
        "receipt": request.session.pop("objection_receipt", None),
    }
    return render(request, "grants/notices.html", context, status=status)


@body_limited("OBJECTION_MAX_BODY_BYTES")
@require_POST
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    notice = PublicNotice.objects.filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    form = ObjectionForm(request.POST, notice=notice)
    form.is_valid()
    try:
        lodged = services.objection_lodge(
            notice=notice,
            actor=request.user,
            text=request.POST.get("text", ""),
            contact=request.POST.get("contact", ""),
            address=client_address(request),
        )
    except DomainError as exc:
        if exc.code in ("text_required", "contact_required"):  # "必须填写": say which, by its label
            name = "text" if exc.code == "text_required" else "contact"
            form.add_error(name, required_message(form.fields[name]))
            if exc.code == "contact_required":
                form.add_error(None, str(exc.message))
        else:
            form.show_domain_error(exc)
        form.mark_invalid()
        return notices(request, objection_form=form, status=exc.status)
    # Shown once, at the top of the page the objector comes back to: the number to quote later.
    request.session["objection_receipt"] = {"receipt": lodged.receipt, "notice": notice.number or ""}
    return redirect(f"{reverse('grants:notices')}#receipt")
