"""The expert draw on a grant application's page (issue 17 §5): the bureau draws reviewers for an
application in review, with the applicant's organisation (for a worker's claim, the worker and their
employer) excluded without anyone typing it. The panel is registered with grants' detail page; the button
posts here and comes back to the application."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, require_role
from skillcity.grants import selectors as grant_selectors
from skillcity.grants.models import ApplicationState
from skillcity.platforms.selectors import experts as selectors
from skillcity.platforms.services import experts as services
from skillcity.platforms.views.experts import BUREAU, _panel_draw
from skillcity.platforms.views.experts.forms import PanelDrawForm


def grant_review_panel(request: Any, user: Any, application: Any) -> str:
    """The bureau's part of the application page: earlier draws, and the draw form while in review."""
    if getattr(user, "role", None) != BUREAU:
        return ""
    draws = list(selectors.draws_for_application(application)[:10])
    in_review = application.state == ApplicationState.IN_REVIEW
    if not draws and not in_review:
        return ""
    return render_to_string(
        "platforms/experts/_grant_review_panel.html",
        {
            "app": application,
            "draws": draws,
            "form": PanelDrawForm(auto_id="expert-draw-%s") if in_review else None,
        },
        request=request,
    )


@login_required
@require_POST
def grant_review_draw(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, BUREAU)
    application = grant_selectors.application_for(user, pk)
    _panel_draw(request, lambda **kw: services.grant_review_draw(actor=user, application=application, **kw))
    return redirect("grants:detail", application.pk)


urlpatterns: list[URLPattern] = [
    path("experts/draw/grant-application/<int:pk>/", grant_review_draw, name="expert_draw_grant_review"),
]
