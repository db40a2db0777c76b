"""Issue 13 item 1: no internal code on any page.

Logs in as each demo role on a small demo city, follows every internal link reachable from the home
page (GET only, same origin, a bounded number of pages), in Chinese and in English, and fails on:

- an identifier from the platform's own code lists in the visible text: state and action codes (the
  models' choices, the grant timeline's actions, the review stages), rule IDs outside their small-type
  slot (`<small class="rule-id">`), fact keys and parameter names;
- the words True, False, None as text, or a Python dict (`{'`) anywhere in the page;
- in English, a Chinese UI string left untranslated.

What counts as "left untranslated": data is Chinese whatever the language (people's, organisations'
and towns' names, document titles, free text typed by users), so Chinese text as such is allowed.
A finding is a visible text node that is exactly a string of the platform's own UI — a msgid of the
translation catalog, a rule title, a fact label, a parameter title, a state label — shown as its
Chinese source. Those have an English form, and showing the Chinese one is the bug this test catches.
Text is split at the separators pages put between labels (" · ", "：", "，", "/") before comparing.

The alliance history, the policy version note on alliance reports, the rules' summaries and the
engine's reasons and calculation steps are msgids (with their values) and checked here like every
other string.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.test import Client

pytestmark = [pytest.mark.slow]

MAX_PAGES_PER_ROLE = 120
# Links not to follow: downloads (files, not pages), leaving, switching language, the API's JSON.
SKIP = re.compile(
    r"^/(logout|i18n|api/|admin/|static/|media/)|/(download|export|pdf|xlsx|csv)\b|\.(pdf|xlsx|csv|zip|json)$"
)
HAN = re.compile(r"[\u4e00-\u9fff]")
# Elements without an end tag: they open nothing for the skip stack to close.
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "area", "col", "wbr"}


class _Page(HTMLParser):
    """The page's links and its visible text nodes (outside script/style and the rule-ID slot)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self._skip: list[str] = []  # a stack of open tags whose text is not checked

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag not in VOID and (
            tag in ("script", "style", "textarea")
            or self._skip
            or "rule-id" in (a.get("class") or "").split()
        ):
            self._skip.append(tag)
        # Attributes people see or hear: a visible input's value, placeholders, titles, labels. An
        # option's or hidden input's value is sent, not shown.
        shown = ["placeholder", "title", "aria-label", "alt"]
        if tag == "input" and (a.get("type") or "text") not in ("hidden", "checkbox", "radio"):
            shown.append("value")
        for name in shown:
            if a.get(name) and not self._skip:
                self.texts.append(a[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _codes() -> set[str]:
    """Identifiers of the platform's own code lists that must never be shown as text."""
    from skillcity.core.audit_labels import AUDIT_ACTION_LABELS
    from skillcity.grants.labels import EVENT_ACTION_LABELS, STAGE_LABELS
    from skillcity.policy import params as P
    from skillcity.policy.engine import load_rules

    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("skillcity."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value:
                    codes.add(value)
    codes |= set(EVENT_ACTION_LABELS) | set(STAGE_LABELS) | set(AUDIT_ACTION_LABELS)
    for rule in load_rules().values():
        codes.add(rule.id)
        codes |= {f.name for f in rule.facts}
    codes |= set(P.parameters())
    # Short ordinary English words among the codes ("open", "active", "town" …) are English text in
    # English mode: only codes with an underscore, a dot or a dash, or in upper case are unambiguous.
    return {c for c in codes if re.search(r"[_.:\-]", c) or (c.isupper() and len(c) > 2)}


def _ui_strings() -> set[str]:
    """The platform's own Chinese UI strings that have an English translation."""
    catalog = Path(__file__).resolve().parents[1] / "skillcity/locale/en/LC_MESSAGES/django.mo"
    with catalog.open("rb") as f:
        messages = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    found = {k for k, v in messages.items() if isinstance(k, str) and v and HAN.search(k)}
    return {s for s in found if "%(" not in s and "{" not in s and len(s) >= 2}


def _users() -> dict[str, object]:
    from skillcity.accounts.models import Role, User
    from skillcity.alliances.models import Alliance

    users: dict[str, object] = {
        name: User.objects.get(username=name) for name in ("bureau", "changan", "enterprise", "worker")
    }
    initiator = Alliance.objects.order_by("id").values_list("initiator_id", flat=True).first()
    alliance_user = User.objects.filter(role=Role.ORGANISATION_USER, organisation_id=initiator).first()
    if alliance_user is not None:
        users["alliance"] = alliance_user
    users["anonymous"] = None
    return users


def _crawl(client: Client) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            location = response.headers["Location"]
            if urlsplit(location).netloc in ("", "testserver"):
                queue.append(urlsplit(location)._replace(scheme="", netloc="").geturl())
            continue
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield url, html
        for href in _parse(html).links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            # One page per list filter or page number is enough: drop the query's variants past 3.
            if parts.query and sum(u.split("?")[0] == parts.path for u in seen | set(queue)) > 3:
                continue
            if href not in seen and href not in queue:
                queue.append(href)


def _findings(url: str, html: str, codes: set[str], ui: set[str] | None) -> list[str]:
    found = []
    if "{'" in html or "{&#x27;" in html:
        found.append(f"{url}: a Python dict")
    page = _parse(html)
    for text in page.texts:
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_.:\-]*[A-Za-z0-9]|[A-Za-z]", text):
            if word in ("True", "False", "None"):
                found.append(f"{url}: {word!r} in {text[:80]!r}")
            elif word in codes:
                found.append(f"{url}: code {word!r} in {text[:80]!r}")
        if ui is not None and HAN.search(text):
            for piece in re.split(r"\s*[·：:|/，,]\s*|\s{2,}", text):
                if piece in ui:
                    found.append(f"{url}: untranslated {piece!r}")
    return found


@pytest.mark.sqlite_only  # labels are the templates' and the code's, not the database's: run once
def test_no_page_any_role_reaches_shows_an_internal_code(demo_city):
    codes = _codes()
    ui = _ui_strings()
    findings: list[str] = []
    pages = 0
    for role, user in _users().items():
        for language in ("zh-hans", "en"):
            client = Client()
            if user is not None:
                client.force_login(user)
            client.post("/i18n/setlang/", {"language": language, "next": "/"})
            for url, html in _crawl(client):
                pages += 1
                findings += [
                    f"[{role} {language}] {f}"
                    for f in _findings(url, html, codes, ui if language == "en" else None)
                ]
    assert pages > 50
    unique = sorted(set(findings))
    if unique:
        pytest.fail(f"{len(unique)} findings:\n" + "\n".join(unique[:600]), pytrace=False)


def test_the_checker_finds_what_it_looks_for():
    """The crawl's checks themselves: a code, a Python value, a dict and an untranslated string."""
    html = (
        "<p>当前环节 bureau_x</p><p>True</p><input value='None'><p>{'a': 1}</p>"
        "<small class='rule-id'>TRN-PROJECT</small><p>TRN-PROJECT</p><td>草稿</td>"
        "<ol><li>审核中</li></ol><select><option value='bureau_x'>市人社局</option></select>"
    )
    found = _findings("/x", html, {"bureau_x", "TRN-PROJECT"}, {"草稿", "审核中"})
    assert "/x: a Python dict" in found
    assert any("'True'" in f for f in found) and any("'None'" in f for f in found)
    assert any("bureau_x" in f for f in found)
    assert sum("TRN-PROJECT" in f for f in found) == 1  # the small-type slot is allowed
    assert "/x: untranslated '草稿'" in found
    assert "/x: untranslated '审核中'" in found  # a reason or a step as much as any other text
    assert sum("bureau_x" in f for f in found) == 1  # an option's value is not shown


def test_the_code_lists_hold_states_actions_rule_ids_and_fact_keys(db):
    codes = _codes()
    assert {"in_review", "review_pass", "TRN-PROJECT", "certificate_kind", "personal_data.export"} <= codes
