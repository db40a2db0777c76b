"""EDU-GRAD-RETENTION for a cohort (issue 19 §3): the school's graduates of a year, each read from
the graduation record and the social-insurance contributions, with why; one action applies for every
eligible graduate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.errors import DomainError
from skillcity.schools.services import retention
from skillcity.schools.views import _school, _year


def _cohort_year(request: HttpRequest) -> int:
    return _year(request, timezone.localdate().year - 1)


@login_required
def grad_retention(request: HttpRequest, pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    year = _cohort_year(request)
    lines = retention.cohort(school, year)
    counts = {status: 0 for status in retention.STATUS_LABELS}
    for line in lines:
        counts[line.status] += 1
    return render(
        request,
        "schools/grad_retention.html",
        {
            "school": school,
            "year": year,
            "lines": lines,
            "counts": [(retention.STATUS_LABELS[s], n) for s, n in counts.items()],
            "eligible": counts["eligible"],
            "can_apply": user.role == "bureau_officer" or user.organisation_id == school.organisation_id,
        },
    )


@login_required
@require_POST
def grad_retention_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    year = _cohort_year(request)
    try:
        lines = retention.cohort_apply(actor=user, school=school, year=year)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        made = sum(1 for line in lines if line.application is not None)
        messages.success(request, _("已为 %(n)s 名毕业生生成补贴申请，进入审核") % {"n": made})
    return redirect(f"{reverse('schools:grad_retention', args=[school.pk])}?year={year}")


urlpatterns: list[URLPattern] = [
    path("<int:pk>/grad-retention/", grad_retention, name="grad_retention"),
    path("<int:pk>/grad-retention/apply/", grad_retention_apply, name="grad_retention_apply"),
]
