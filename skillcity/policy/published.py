"""Published versions laid over the shipped pack: what the bureau approved, in force without a deploy.

`params.parameters()` and `params.documents()` are wrapped by `overlay_parameters` and
`overlay_documents`: each returns the YAML pack (cached per process, as before) with the published
draft versions added to their parameters and the bureau's published documents added to the documents.

Cache invalidation across processes (docs/decisions.md, D-30): the `PolicyRevision` row holds a counter
that the publishing transaction raises (approval, withdrawal). Each process remembers the revision its
overlay was read at; at the start of every request (`request_started`) and every background job
(`task_started`) a check is *due*, and the first parameter lookup that follows reads the counter (one
primary-key query) and reloads the overlay when it moved. So a version published or withdrawn in one
process takes effect in every other process on its next request or job; a process that never serves
one (a CLI run) reads it on its first lookup. Nothing is read when no lookup happens.

Without a database (a bare script, a table not migrated yet, a test without database access) the
overlay is empty and the YAML pack is used unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import DatabaseError

if TYPE_CHECKING:
    from skillcity.policy.params import Document, Parameter

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class PublishedVersion:
    parameter: str
    value: Any  # as stored (JSON); parsed with the parameter's unit when laid over
    effective_from: datetime.date
    effective_to: datetime.date | None
    document: str
    clause: str
    text: str


@dataclasses.dataclass(frozen=True)
class PublishedDocument:
    key: str
    title: str
    issuer: str
    effective_from: datetime.date
    effective_to: datetime.date | None  # the validity, a published continuation included
    assumption: str | None
    number: str = ""
    issued: datetime.date | None = None
    # A shipped document extended by a published continuation (延续执行): only its end is laid over.
    shipped: bool = False


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.revision: int | None = None  # None: never read (or no database)
        self.pack: str | None = None  # the active pack the overlay was read for
        self.due = True
        self.versions: tuple[PublishedVersion, ...] = ()
        self.documents: tuple[PublishedDocument, ...] = ()
        self.merged: dict[str, tuple[Any, Any]] = {}


_state = _State()


def check_due(**_: Any) -> None:
    """A request or a job starts: the next parameter lookup compares the revision once."""
    _state.due = True


def _read_revision() -> int:
    from skillcity.policy.models import PolicyRevision

    number = PolicyRevision.objects.filter(pk=1).values_list("number", flat=True).first()
    return int(number or 0)


def _load(pack: str) -> tuple[tuple[PublishedVersion, ...], tuple[PublishedDocument, ...]]:
    """What the bureau published under `pack` (the active one): another pack's rows are never laid over."""
    from django.db.models import F, Q

    from skillcity.policy.models import DocumentOrigin, DraftState, DraftVersion, PolicyDocument

    versions = tuple(
        PublishedVersion(
            parameter=v.parameter,
            value=v.value,
            effective_from=v.effective_from,
            effective_to=v.effective_to,
            document=v.document.key,
            clause=v.clause,
            text=v.text,
        )
        for v in DraftVersion.objects.filter(draft__state=DraftState.APPROVED, draft__pack=pack)
        .select_related("document")
        .order_by("parameter", "effective_from")
    )
    documents = tuple(
        PublishedDocument(
            key=d.key,
            title=d.title,
            issuer=d.issuer,
            effective_from=d.effective_from,
            effective_to=d.valid_to,
            assumption=d.assumption or None,
            number=d.number,
            issued=d.issued,
            shipped=d.origin == DocumentOrigin.SHIPPED,
        )
        for d in PolicyDocument.objects.filter(
            Q(origin=DocumentOrigin.BUREAU, published=True, pack=pack)
            # A shipped document extended by a continuation published under this pack.
            | Q(
                origin=DocumentOrigin.SHIPPED,
                extended_to__isnull=False,
                continuations__state=DraftState.APPROVED,
                continuations__pack=pack,
                continuations__continued_to=F("extended_to"),
            )
        ).distinct()
    )
    return versions, documents


def refresh(*, force: bool = False) -> None:
    """Reload the overlay if the revision moved since it was read (when a check is due, or `force`)."""
    from skillcity.policy.pack import loader

    pack = loader.active_name()
    if pack != _state.pack:  # another pack selected (a setting changed): its own rows, read again
        force = True
    if not (force or _state.due):
        return
    try:
        revision = _read_revision()
        if revision == _state.revision and not force:
            _state.due = False
            return
        versions, documents = _load(pack)
    except (DatabaseError, RuntimeError):
        # No database here (not migrated yet, or a test without database access): the YAML pack alone.
        # RuntimeError is what a test runner's database blocker raises.
        # Not due again until the next request or job: a process with no database (a benchmark, a script
        # before migrate) must not retry a failing query on every parameter lookup.
        _clear(revision=None, versions=(), documents=())
        _state.pack = pack  # nor for every lookup because the pack was never read
        _state.due = False
        return
    _clear(revision=revision, versions=versions, documents=documents)
    _state.pack = pack
    _state.due = False


def _clear(
    *, revision: int | None, versions: tuple[PublishedVersion, ...], documents: tuple[PublishedDocument, ...]
) -> None:
    with _state.lock:
        changed = (versions, documents) != (_state.versions, _state.documents)
        _state.revision = revision
        _state.versions = versions
        _state.documents = documents
        if changed:
            _state.merged = {}


def reset() -> None:
    """Forget the overlay (tests: a rolled-back transaction took its rows away); the next lookup reads
    the revision again."""
    _clear(revision=None, versions=(), documents=())
    _state.due = True


def has_overlay() -> bool:
    return bool(_state.versions or _state.documents)


def revision() -> int | None:
    return _state.revision


def _applies(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> bool:
    """The overlay belongs to the active pack: a call naming another pack gets that pack unchanged."""
    pack = kwargs.get("pack", args[0] if args else None)
    if pack is None:
        return True
    from skillcity.policy.pack import loader

    return bool(pack == loader.active_name())


def add_versions(
    base: Mapping[str, Parameter],
    extra: list[PublishedVersion] | tuple[PublishedVersion, ...],
    *,
    where: str,
    skip_unknown: bool = False,
) -> dict[str, Parameter]:
    """`base` with each extra version added to its parameter, sorted by date (unlike
    `params.with_overrides`, which replaces every version's value). Values are parsed with the
    parameter's unit; an unknown parameter raises ParameterFileError, or with `skip_unknown` (the
    published overlay: a page must never fail on it) is not laid over and logged."""
    from skillcity.policy import params as P

    added: dict[str, list[P.Version]] = {}
    for v in extra:
        if v.parameter not in base and skip_unknown:
            logger.warning("%s: 参数 %s 不在当前政策包中，此版本不叠加", where, v.parameter)
            continue
        if v.parameter not in base:
            raise P.ParameterFileError(f"{where}: unknown parameter {v.parameter}")
        unit = base[v.parameter].unit
        added.setdefault(v.parameter, []).append(
            P.Version(
                value=P.parse_value(v.value, unit, f"{where}: {v.parameter}"),
                effective_from=v.effective_from,
                effective_to=v.effective_to,
                document=v.document,
                clause=v.clause,
                text=v.text,
            )
        )
    result = dict(base)
    for name, versions in added.items():
        merged = sorted((*base[name].versions, *versions), key=lambda ver: ver.effective_from)
        result[name] = dataclasses.replace(base[name], versions=tuple(merged))
    return result


def add_documents(base: Mapping[str, Document], extra: tuple[PublishedDocument, ...]) -> dict[str, Document]:
    from skillcity.policy import params as P

    result = dict(base)
    for d in extra:
        if d.shipped:
            # A continuation extends a document of the pack: its validity runs to the extended end
            # (a continuation never shortens it), everything else stays as the YAML says.
            shipped = result.get(d.key)
            if (
                shipped is not None
                and shipped.effective_to is not None
                and (d.effective_to is None or d.effective_to > shipped.effective_to)
            ):
                result[d.key] = dataclasses.replace(shipped, effective_to=d.effective_to)
        elif d.key not in result:
            result[d.key] = P.Document(
                id=d.key,
                title=d.title,
                issuer=d.issuer,
                effective_from=d.effective_from,
                effective_to=d.effective_to,
                assumption=d.assumption,
                number=d.number,
                issued=d.issued,
            )
    return result


def _overlay(kind: str, merge: Callable[[Any], Any]) -> Callable[[F], F]:
    def decorate(load: F) -> F:
        @functools.wraps(load)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            refresh()
            base = load(*args, **kwargs)
            if not has_overlay() or not _applies(args, kwargs):
                return base
            # Keyed by the base object itself: the pack loader's cache holds it, and a different base (another
            # pack selected, the loader's cache cleared) never meets a merge made from an earlier one.
            held = _state.merged.get(kind)
            if held is None or held[0] is not base:
                held = _state.merged[kind] = (base, merge(base))
            return held[1]

        def cache_clear() -> None:
            from skillcity.policy.pack import loader

            loader.clear_cache()
            _state.merged = {}

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


overlay_parameters = _overlay(
    "parameters", lambda base: add_versions(base, _state.versions, where="published", skip_unknown=True)
)
overlay_documents = _overlay("documents", lambda base: add_documents(base, _state.documents))


def connect_signals() -> None:
    """From PolicyConfig.ready(): every request and every background job makes a check due."""
    from django.core.signals import request_started
    from django_tasks.signals import task_started

    request_started.connect(check_due, dispatch_uid="policy.published.check_due")
    task_started.connect(check_due, dispatch_uid="policy.published.check_due_task")
