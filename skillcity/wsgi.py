"""The WSGI application `skillcity serve` (Granian) runs: hot routes first, then Django."""

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
django_application = get_wsgi_application()


def django_whole_bodies(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django's application, handing the server a whole body where there is one.

    An ordinary response's body is already in memory; given as a list, Granian sends it in one
    piece instead of iterating the response object from Rust, chunk by chunk, under the GIL.
    Streaming and file responses (static files, downloads) are passed on as they are.
    """
    response = django_application(environ, start_response)
    if isinstance(response, HttpResponse):  # not StreamingHttpResponse / FileResponse
        body = response.content
        response.close()  # request_finished: what the server would otherwise call after sending
        return [body]
    return response


def _application() -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    from skillcity.core.hotpath import HotRoutes
    from skillcity.learning import hot as learning_hot
    from skillcity.training import hot as training_hot

    return HotRoutes(
        django_whole_bodies,
        {
            training_hot.REDEEM_ROUTE: training_hot.redeem,
            learning_hot.STATEMENTS_ROUTE: learning_hot.statements,
        },
    )


application = _application()
