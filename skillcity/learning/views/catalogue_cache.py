"""The public catalogue's results, rendered once and kept a short while (docs/learning.md, "Cost").

The catalogue is the busiest page of online learning, and most of its cost is rendering twenty
course cards. Its results (the filters' options, the count, the cards, the pages) are the same for
everyone who asks the same query in the same language, so they are rendered once and kept
`CACHE_SECONDS` in Django's cache. A saved or deleted course, lesson or enrolment, or a course's
industries changed, gives the catalogue a new version, and another once its transaction commits: every process
that shares the cache shows the change on its next page, and a process with a cache of its own shows
it within `CACHE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import get_language

from skillcity.learning.models import Course, Enrolment, Lesson

CACHE_SECONDS = 30
VERSION_KEY = "learning:catalogue:version"


def _version() -> str:
    return str(cache.get_or_set(VERSION_KEY, uuid.uuid4().hex, None))


def renew() -> None:
    """A new version: the results cached so far are no longer read (they expire on their own)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def results(request: HttpRequest, render: Callable[[], str]) -> str:
    """The catalogue's results for this request's query and language: from the cache, or made by
    `render` and kept."""
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    key = f"learning:catalogue:{_version()}:{get_language()}:{query}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, CACHE_SECONDS)
    return str(html)


def _changed(**_kwargs: Any) -> None:
    # Now, for this transaction's own later reads; and again after the commit, because a page rendered
    # by another request in between saw the rows as they were before it.
    renew()
    transaction.on_commit(renew)


for _model in (Course, Lesson, Enrolment):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"learning-catalogue-{_model.__name__}-save")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"learning-catalogue-{_model.__name__}-delete")
m2m_changed.connect(_changed, sender=Course.industries.through, dispatch_uid="learning-catalogue-industries")
