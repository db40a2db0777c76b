"""`skillcity policy draft | drafts | submit | approve | return | withdraw`: the lifecycle from the CLI.

Each subcommand acts as a named bureau officer (`--as USERNAME`) through the same services as the
page and the API, and prints JSON. Exit codes: 0 done, 2 bad input (the message names the parameter
or field), 4 refused (maker–checker, a state that does not allow it, not a bureau officer).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from skillcity.core.errors import DomainError
from skillcity.policy.lifecycle import selectors, services

ACTIONS = ("draft", "drafts", "submit", "approve", "return", "withdraw")


def add_parsers(sub: Any) -> None:
    d = sub.add_parser(
        "draft", help="draft successor versions (or a continuation 延续执行) as a bureau officer"
    )
    d.add_argument(
        "--as", dest="as_user", required=True, metavar="USERNAME", help="the drafting bureau officer"
    )
    d.add_argument("--title", default="", help="the draft's name")
    d.add_argument("--note", default="")
    d.add_argument("--add-to", type=int, metavar="DRAFT_ID", help="add to an existing draft instead")
    d.add_argument(
        "--documents", metavar="JSON|@file",
        help='new documents: [{"key", "title", "issuer", "number", "issued", "effective_from", "effective_to"}]',
    )  # fmt: skip
    d.add_argument(
        "--versions", metavar="JSON|@file",
        help='versions: [{"parameter", "value", "effective_from", "effective_to", "document", "clause", "text"}]',
    )  # fmt: skip
    d.add_argument(
        "--continue", dest="continue_document", metavar="DOCUMENT", help="a continuation of this document"
    )
    d.add_argument("--until", help="continuation: the new last day YYYY-MM-DD")
    d.add_argument("--cite", help="continuation: the notice's document key (default: the document itself)")
    d.add_argument("--clause", default="", help="continuation: the notice's clause")
    d.add_argument("--text", default="", help="continuation: the notice's text, quoted")
    lst = sub.add_parser("drafts", help="the drafts with their versions, as JSON")
    lst.add_argument(
        "--state",
        default="",
        help="only drafts in this state (draft, submitted, approved, returned, withdrawn)",
    )
    for name, helptext in (
        ("submit", "submit a draft for checking"),
        ("approve", "approve (publish) a draft: a second bureau officer"),
        ("return", "return a draft to its drafter, with a reason"),
        ("withdraw", "withdraw a draft (a published one only before its effective date)"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("draft_id", type=int, metavar="DRAFT_ID")
        p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        p.add_argument("--note", default="", help="approve/return: the checker's note (a reason to return)")


def handles(action: str) -> bool:
    return action in ACTIONS


def _json_arg(text: str | None, where: str) -> list[dict[str, Any]]:
    from skillcity.policy.management.commands.policy import read_facts

    if not text:
        return []
    data = read_facts(text)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise CommandError(f"{where}：应为 JSON 对象或对象列表", returncode=2)
    return data


def _date(value: Any, where: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise CommandError(f"{where}：“{value}”不是有效日期（YYYY-MM-DD）", returncode=2) from None


def _user(username: str) -> Any:
    from skillcity.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--as：没有用户“{username}”", returncode=2)
    return user


def _draft(draft_id: int) -> Any:
    from skillcity.policy.models import PolicyDraft
    from skillcity.policy.pack import loader

    # Only the active pack's drafts (another pack's are checked against and laid over that pack only).
    draft = PolicyDraft.objects.filter(pk=draft_id, pack=loader.active_name()).first()
    if draft is None:
        raise CommandError(f"政策包 {loader.active_name()} 中没有编号为 {draft_id} 的草稿", returncode=2)
    return draft


def _create(options: dict[str, Any]) -> Any:
    actor = _user(options["as_user"])
    if options["continue_document"]:
        until = _date(options["until"], "--until")
        if until is None:
            raise CommandError("--until：延续执行须写明新的截止日期", returncode=2)
        return services.draft_continuation_create(
            actor=actor,
            document=options["continue_document"],
            until=until,
            citation_document=options["cite"] or options["continue_document"],
            clause=options["clause"],
            text=options["text"],
            title=options["title"],
        )
    documents = _json_arg(options["documents"], "--documents")
    versions = _json_arg(options["versions"], "--versions")
    with transaction.atomic():  # all of it or nothing
        if options["add_to"]:
            draft = _draft(options["add_to"])
        else:
            draft = services.draft_create(actor=actor, title=options["title"], note=options["note"])
        for i, d in enumerate(documents):
            where = f"--documents 第{i + 1}项"
            doc_from = _date(d.get("effective_from"), where)
            if doc_from is None:
                raise CommandError(f"{where}：缺少 effective_from（施行日期）", returncode=2)
            services.document_register(
                draft=draft,
                actor=actor,
                key=str(d.get("key", "")),
                title=str(d.get("title", "")),
                issuer=str(d.get("issuer", "")),
                number=str(d.get("number", "")),
                issued=_date(d.get("issued"), where),
                effective_from=doc_from,
                effective_to=_date(d.get("effective_to"), where),
                supersedes=str(d.get("supersedes", "")),
            )
        for i, v in enumerate(versions):
            where = f"--versions 第{i + 1}项"
            start = _date(v.get("effective_from"), where)
            if start is None:
                raise CommandError(f"{where}：缺少 effective_from", returncode=2)
            services.draft_version_add(
                draft=draft,
                actor=actor,
                parameter=str(v.get("parameter", "")),
                value=v.get("value"),
                effective_from=start,
                effective_to=_date(v.get("effective_to"), where),
                document=str(v.get("document", "")),
                clause=str(v.get("clause", "")),
                text=str(v.get("text", "")),
            )
    return draft


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    action = options["action"]
    try:
        if action == "drafts":
            data: Any = [selectors.draft_as_dict(d) for d in selectors.drafts(state=options["state"] or None)]
        elif action == "draft":
            data = selectors.draft_as_dict(_create(options))
        else:
            actor = _user(options["as_user"])
            draft = _draft(options["draft_id"])
            if action == "submit":
                draft = services.draft_submit(draft=draft, actor=actor)
            elif action == "approve":
                draft = services.draft_approve(draft=draft, actor=actor, note=options["note"])
            elif action == "return":
                draft = services.draft_return(draft=draft, actor=actor, note=options["note"])
            else:
                draft = services.draft_withdraw(draft=draft, actor=actor)
            data = selectors.draft_as_dict(draft)
    except DomainError as exc:
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        code = 2 if exc.status in (400, 404, 422) else 4
        raise CommandError(f"{exc.message}" + (f" ({details})" if details else ""), returncode=code) from None
    command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
