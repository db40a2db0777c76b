"""Member pages: add an organisation from the registry or register a new one, remove, name the lead,
Annex 1 (form, .xlsx download and upload), and the alliance's documents."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.alliances import selectors, services
from skillcity.alliances.annexes import ANNEX1_FIELDS
from skillcity.alliances.downloads import annex1_download
from skillcity.alliances.forms import Annex1Form, DocumentForm, RegisterMemberForm
from skillcity.alliances.services import UploadedDocument
from skillcity.alliances.views.common import run, xlsx_response
from skillcity.core.bounds import by_id
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.uploads import read_upload
from skillcity.registry.forms import drop_blank, keep_stored_number
from skillcity.registry.models import Organisation, OrganisationCategory


def _detail(pk: int) -> str:
    return reverse("alliances:alliance_detail", args=[pk])


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    register_form = RegisterMemberForm()
    if request.method == "POST" and "organisation" in request.POST:
        # Any organisation in the registry may join; the search below is city-wide on purpose
        # (members come from every town), and shows only names, categories and USCCs.
        organisation = by_id(Organisation, request.POST.get("organisation"))
        if organisation is None:
            raise NotFound(_("记录不存在或您无权查看"))
        try:
            services.member_add(alliance=alliance, organisation=organisation, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("已加入成员单位 %(name)s") % {"name": organisation.name})
            return redirect("alliances:alliance_detail", pk=alliance.pk)
    elif request.method == "POST":
        register_form = RegisterMemberForm(request.POST, request.FILES)
        if register_form.is_valid():
            upload = request.FILES.get("business_licence")
            try:
                membership = services.member_register(
                    alliance=alliance,
                    data=register_form.payload(),
                    actor=request.user,
                    business_licence=UploadedDocument.from_django(
                        upload, field="business_licence", label=_("营业执照")
                    )
                    if upload
                    else None,
                )
            except DomainError as error:
                register_form.apply_error(error)
            else:
                messages.success(
                    request, _("已加入成员单位 %(name)s") % {"name": membership.organisation.name}
                )
                return redirect("alliances:alliance_detail", pk=alliance.pk)
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "").strip()
    results: list[Organisation] = []
    if q or category:
        found = Organisation.objects.select_related("town", "industry")
        if q:
            found = found.filter(Q(name__contains=q) | Q(uscc=q.upper()))
        if category:
            found = found.filter(category=category)
        current = alliance.memberships.filter(left_on__isnull=True).values_list("organisation_id", flat=True)
        results = list(found.exclude(pk__in=current).order_by("name")[:30])
    return render(
        request,
        "alliances/member_add.html",
        {
            "alliance": alliance,
            "q": q,
            "category": category,
            "results": results,
            "searched": bool(q or category),
            "categories": OrganisationCategory.choices,
            "register_form": register_form,
        },
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    membership = selectors.membership_get_for(request.user, alliance, member_pk)
    return run(
        request,
        lambda: services.member_remove(membership=membership, actor=request.user),
        success=_("已移出成员单位 %(name)s") % {"name": membership.organisation.name},
        back=_detail(pk),
    )


@login_required
@require_POST
def member_set_lead(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    membership = selectors.membership_get_for(request.user, alliance, member_pk)
    return run(
        request,
        lambda: services.member_set_lead(membership=membership, actor=request.user),
        success=_("已指定承担主体 %(name)s") % {"name": membership.organisation.name},
        back=_detail(pk),
    )


@login_required
def member_annex1(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    membership = selectors.membership_get_for(request.user, alliance, member_pk)
    can_fill = selectors.can_fill_annex1(request.user, alliance, membership)
    organisation = membership.organisation
    initial = {name: getattr(organisation, name) for name in ANNEX1_FIELDS}
    initial["mobile"] = organisation.mobile_masked  # shown to those who may not fill it
    form = Annex1Form(request.POST or None, initial=initial)
    if can_fill:
        keep_stored_number(form, "mobile", organisation.mobile_masked)
    upload_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        membership = selectors.membership_get_for(request.user, alliance, member_pk, annex1=True)
        try:
            if "file" in request.FILES:
                upload = cast(UploadedFile, request.FILES["file"])
                services.member_annex1_upload(
                    membership=membership, content=read_upload(upload, label=_("登记表")), actor=request.user
                )
            elif form.is_valid():
                data = drop_blank({name: request.POST.get(name, "") for name in ANNEX1_FIELDS}, "mobile")
                services.member_annex1_update(membership=membership, data=data, actor=request.user)
            else:
                raise DomainError("invalid", _("输入有误，请检查标出的字段"))
        except DomainError as error:
            if error.code == "invalid_upload" or "file" in request.FILES:
                upload_errors = [
                    (cell, reason)
                    for cell, reasons in error.as_dict()["fields"].items()
                    for reason in reasons
                ]
                messages.error(request, str(error.message)[:200])
            else:
                form.apply_error(error)
        else:
            messages.success(request, _("已保存 %(name)s 的成员单位登记表") % {"name": organisation.name})
            return redirect("alliances:alliance_detail", pk=alliance.pk)
    return render(
        request,
        "alliances/annex1.html",
        {
            "alliance": alliance,
            "membership": membership,
            "organisation": organisation,
            "form": form,
            "can_fill": can_fill,
            "upload_errors": upload_errors,
        },
    )


@login_required
def member_annex1_xlsx(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk)
    membership = selectors.membership_get_for(request.user, alliance, member_pk)
    return xlsx_response(
        annex1_download(membership, viewer=request.user),
        f"附件1-成员单位登记表-{membership.organisation.name}.xlsx",
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    form = DocumentForm(request.POST, request.FILES, auto_id="document-%s")
    if form.is_valid():
        try:
            upload = UploadedDocument.from_django(form.cleaned_data["file"], label=_("材料文件"))
            services.document_upload(
                alliance=alliance, kind=form.cleaned_data["kind"], upload=upload, actor=request.user
            )
        except DomainError as error:
            # The service names a file's error by its kind (the API uploads several at once).
            form.show_domain_error(error, aliases={form.cleaned_data["kind"]: "file"})
            form.mark_invalid()
        else:
            messages.success(request, _("已上传 %(name)s") % {"name": upload.name})
            return redirect(_detail(pk))
    # The page again, each error next to its field (the kind, the file).
    from skillcity.alliances.views.alliances import detail_context

    context = detail_context(request, alliance)
    context["document_form"] = form
    return render(request, "alliances/detail.html", context, status=400)


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """Files are served here, after the access check — never from a public media URL."""
    alliance = selectors.alliance_get_for(request.user, pk)
    document = alliance.documents.filter(pk=document_pk).first()
    if document is None:
        raise NotFound(_("记录不存在或您无权查看"))
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-SHA256"] = document.sha256
    return response
