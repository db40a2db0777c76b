"""Awards pages: the claimable awards of a competition with one button to make their applications
(organiser or bureau), a unit's awards and claims, the bureau's results import, camps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from skillcity.competitions.models import ContestProject, TrainingCamp
from skillcity.competitions.selectors import awards as selectors
from skillcity.competitions.services import awards as services
from skillcity.competitions.services import camps, imports
from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import IsoDateField
from skillcity.core.errors import DomainError
from skillcity.core.exports import xlsx_response
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Organisation
from skillcity.web.forms import LabelledErrorsMixin


def _is_bureau(user: Any) -> bool:
    return getattr(user, "role", None) == "bureau_officer" or bool(getattr(user, "is_superuser", False))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The bureau: every competition, the import and the camps; a unit: its awards, claims and camps,
    and the competitions it organises."""
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    context: dict[str, Any] = {"competitions": selectors.competitions_for_awards(user)[: selectors.LIST_MAX]}
    if _is_bureau(user):
        context["camps"] = selectors.camps_all()
    elif user.organisation_id:
        context.update(
            results=selectors.unit_results(user.organisation_id),
            applications=selectors.unit_applications(user.organisation_id),
            camps=selectors.unit_camps(user.organisation_id),
        )
    return render(request, "competitions/awards/index.html", context)


@login_required
def competition(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = selectors.competition_for_awards(user, pk)
    if request.method == "POST":
        try:
            made = services.awards_generate(
                competition=found, actor=user, source_key=request.POST.get("source_key", "")[:200]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            if made:
                messages.success(request, _("已生成 %(n)s 份补贴申请并提交审核") % {"n": len(made)})
            else:
                messages.info(request, _("没有需要生成的补贴申请（均已生成或不符合条件）"))
        return redirect("competitions:awards_competition", pk=found.pk)
    claims = services.claims_for(found)
    rows = [selectors.claim_row(c) for c in claims]
    return render(
        request,
        "competitions/awards/competition.html",
        {
            "competition": found,
            "rows": rows,
            "open_count": sum(1 for r in rows if r["eligible"] and r["application"] is None),
            "missing_funds": [
                {"rule": selectors.rule_title(r), "programme": r, "year": y}
                for r, y in selectors.missing_funds(claims)
            ],
            "is_bureau": _is_bureau(user),
        },
    )


@login_required
def import_results(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的文件"))
        else:
            try:
                report = imports.results_import(
                    filename=upload.name or "", content=read_upload(upload, label=_("导入文件")), actor=user
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                if report.ok:
                    messages.success(
                        request,
                        _("导入成功：新增 %(c)s 条成绩，%(u)s 条与已导入的相同未变")
                        % {"c": report.created, "u": report.unchanged},
                    )
                    return redirect("competitions:awards_index")
    return render(
        request,
        "competitions/awards/import.html",
        {"report": report, "columns": [_(label) for label in imports.COLUMNS.values()]},
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), "bureau_officer")
    return xlsx_response(imports.template_workbook(), "competition-results-template.xlsx")


def _project_choice(project: ContestProject) -> str:
    return f"{project.competition.year} {project.competition.name} · {project.name}"


class CampForm(LabelledErrorsMixin, forms.Form):
    project: forms.ModelChoiceField[ContestProject] = forms.ModelChoiceField(
        queryset=ContestProject.objects.none(), label=gettext_lazy("竞赛项目")
    )
    unit_uscc = forms.CharField(label=gettext_lazy("集训单位统一社会信用代码"), max_length=18, required=False)
    starts_on = IsoDateField(label=gettext_lazy("集训开始日期"))
    ends_on = IsoDateField(label=gettext_lazy("集训结束日期"))
    selection_level = forms.ChoiceField(
        label=gettext_lazy("世赛选拔集训级别"), choices=TrainingCamp.SelectionLevel.choices, required=False
    )
    trainees = forms.CharField(
        label=gettext_lazy("集训选手"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("每行一名东莞市选手：身份证号码 空格 集训月数，例如 441900199005170011 3"),
    )

    def __init__(self, *args: Any, bureau: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.camp_projects()
        field.label_from_instance = _project_choice  # type: ignore[method-assign,assignment]
        if bureau:
            self.fields["unit_uscc"].required = True
        else:
            del self.fields["unit_uscc"]
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class", "form-select" if isinstance(f, forms.ChoiceField) else "form-control"
            )

    def clean_trainees(self) -> list[tuple[str, int]]:
        rows: list[tuple[str, int]] = []
        for number, line in enumerate(str(self.cleaned_data.get("trainees") or "").splitlines(), start=1):
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].isdigit():
                raise forms.ValidationError(
                    _("集训选手：第 %(n)s 行应为“身份证号码 集训月数”") % {"n": number}
                )
            rows.append((parts[0], int(parts[1])))
        return rows


@login_required
def camp_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    bureau = _is_bureau(user)
    form = CampForm(request.POST or None, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = (
            Organisation.objects.filter(uscc=data["unit_uscc"].strip().upper()).first()
            if bureau
            else user.organisation
        )
        if unit is None:
            form.add_error("unit_uscc", _("集训单位统一社会信用代码：该代码不在单位库中"))
        else:
            try:
                camps.camp_record(
                    actor=user,
                    project=data["project"],
                    unit=unit,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    trainees=data["trainees"],
                    selection_level=data.get("selection_level") or "",
                )
            except DomainError as exc:
                form.show_domain_error(exc)
            else:
                messages.success(request, _("集训已登记"))
                return redirect("competitions:awards_index")
    return render(request, "competitions/awards/camp_form.html", {"form": form})


@login_required
@require_POST
def camp_complete(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    try:
        camps.camp_complete(camp=get_object_or_404(TrainingCamp, pk=pk), actor=user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已确认集训任务完成"))
    return redirect("competitions:awards_index")


urlpatterns = [
    path("awards/", index, name="awards_index"),
    path("awards/<int:pk>/", competition, name="awards_competition"),
    path("awards/import/", import_results, name="awards_import"),
    path("awards/import/template.xlsx", import_template, name="awards_import_template"),
    path("awards/camps/new/", camp_new, name="awards_camp_new"),
    path("awards/camps/<int:pk>/complete/", camp_complete, name="awards_camp_complete"),
]
