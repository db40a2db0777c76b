"""English mode (issue 13 item 11): the alliance's history and the policy version of each report are
shown in the reader's language; rows written before the history kept message ids show their Chinese."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from skillcity.alliances import services
from skillcity.alliances.downloads import _policy_note
from skillcity.alliances.models import AllianceEvent
from skillcity.alliances.policy_versions import label_for_period
from skillcity.core.periods import HalfYear

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")
TODAY = datetime.date(2026, 11, 23)


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _history(html: str) -> str:
    start = html.index('data-testid="history"')
    return html[start : html.index("</ol>", start)]


def _active_alliance_with_a_report(make_alliance, initiator_user, bureau_officer):
    alliance = make_alliance()
    report = services.report_create(
        alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=TODAY
    )
    services.report_submit(
        report=report, actor=initiator_user, contact_person="王联络", contact_phone="0769-85550000"
    )
    services.report_return(report=report, actor=bureau_officer, reason="请补充培训人数")
    return alliance


def test_every_history_line_reads_in_english(client, make_alliance, initiator_user, bureau_officer):
    alliance = _active_alliance_with_a_report(make_alliance, initiator_user, bureau_officer)
    client.force_login(bureau_officer)
    history = _history(
        _english(client).get(reverse("alliances:alliance_detail", args=[alliance.pk])).content.decode()
    )
    for text in (
        "Alliance draft created; initiator: ",
        "Member added: ",
        "(Enterprise)",
        "Lead enterprise designated: ",
        "Document uploaded (Alliance charter): ",
        "Member registration form (Annex 1) filled in: ",
        "Filed with the bureau by the initiator (4 members)",
        "Filing accepted by the bureau (",
        "Half-year report 2024H1 created",
        "Half-year report 2024H1 submitted (4 members), late",
        "Half-year report 2024H1 returned by the bureau: 请补充培训人数",
    ):
        assert text in history
    # What stays Chinese is what people wrote: names of organisations and people, files, reasons.
    sentences = re.findall(r"</span> — (.*?)</li>", history)
    assert sentences and all(re.match(r"[A-Z]", s) for s in sentences)
    assert "创建联盟草稿" not in history and "市人社局" not in history


def test_the_history_stays_chinese_in_chinese_and_keeps_the_stored_sentence(
    client, make_alliance, initiator_user, bureau_officer
):
    alliance = _active_alliance_with_a_report(make_alliance, initiator_user, bureau_officer)
    event = AllianceEvent.objects.get(alliance=alliance, action="report_submit")
    assert event.message == "报送2024H1半年度报告（成员单位4家），逾期报送"
    assert event.message_id == "报送%(period)s半年度报告（成员单位%(count)s家），逾期报送"
    assert event.params == {"period": "2024H1", "count": 4}
    client.force_login(bureau_officer)
    history = _history(client.get(reverse("alliances:alliance_detail", args=[alliance.pk])).content.decode())
    for event in AllianceEvent.objects.filter(alliance=alliance):
        assert f"— {event.message}</li>" in history.replace("&#x27;", "'")


def test_an_old_row_without_a_message_id_shows_its_stored_text(client, make_alliance, bureau_officer):
    alliance = make_alliance(until="filed")
    AllianceEvent.objects.create(
        alliance=alliance,
        at=timezone.now(),
        actor_label="旧系统",
        action="update",
        message="旧记录：修改联盟名称",
    )
    client.force_login(bureau_officer)
    history = _history(
        _english(client).get(reverse("alliances:alliance_detail", args=[alliance.pk])).content.decode()
    )
    assert "旧记录：修改联盟名称" in history
    assert "Alliance draft created; initiator: " in history


def test_a_message_id_that_no_longer_fits_its_values_falls_back_to_the_stored_text():
    event = AllianceEvent(message="新建2024H1半年度报告", message_id="新建%(period)s半年度报告", params={})
    with translation.override("en"):
        assert event.text() == "新建2024H1半年度报告"
    event.params = {"other": 1}
    with translation.override("en"):
        assert event.text() == "新建2024H1半年度报告"


@pytest.mark.parametrize(
    ("period", "english"),
    [
        ("2020H1", "This period follows D000 “Implementing Opinions of the Dongguan Human Resources"),
        ("2024H2", "D000 expired on 2021-12-31; this period follows D000's practice continued (assumption)"),
        ("2019H1", "2019H1: no training-alliance policy version in force"),
    ],
)
def test_the_policy_version_label_reads_in_english(period, english):
    with translation.override("en"):
        assert label_for_period(HalfYear.parse(period)).startswith(english)


def test_the_annex_downloads_keep_the_chinese_policy_note():
    with translation.override("en"):
        assert (
            _policy_note(HalfYear(2024, 2))
            == "适用政策：D000 已于2021-12-31失效；本期按 沿用D000做法（假设） 执行"
        )


def test_the_report_table_and_the_report_page_name_the_policy_in_english(
    client, make_alliance, initiator_user, bureau_officer
):
    alliance = _active_alliance_with_a_report(make_alliance, initiator_user, bureau_officer)
    client.force_login(bureau_officer)
    _english(client)
    detail = client.get(reverse("alliances:alliance_detail", args=[alliance.pk])).content.decode()
    assert (
        "D000 expired on 2021-12-31; this period follows D000&#x27;s practice continued (assumption)"
        in detail
    )
    assert "本期按" not in detail
    report = client.get(reverse("alliances:report_detail", args=[alliance.pk, "2024H1"])).content.decode()
    assert "this period follows D000&#x27;s practice continued (assumption)" in report
    assert "本期按" not in report


def _filing_errors(html: str) -> str:
    start = html.index('id="filing-errors"')
    return html[start : html.index("</div>", start)]


def test_the_refusals_of_the_alliance_services_read_in_english(
    client, make_alliance, initiator_user, bureau_officer
):
    # A draft without a research institute, documents or registration forms: every filing problem.
    draft = make_alliance(until="draft", research=False, documents=False, annex1=False)
    client.force_login(initiator_user)
    english = _english(client)
    refused = english.post(reverse("alliances:alliance_file", args=[draft.pk]))
    assert refused.status_code == 400
    problems = _filing_errors(refused.content.decode())
    for text in (
        "No research institute to provide vocational-ability development",
        "The alliance charter has not been uploaded",
        "The cooperation agreement has not been uploaded",
        "These members have not filled in the member registration form (Annex 1): ",
    ):
        assert text in problems
    # Only the organisations' names (written by people) stay Chinese.
    assert not HAN.search(re.sub(r"：.*?(?=<|$)|: [^<]*", "", problems.split("</strong>", 1)[1]))
    # A refusal raised at once: the initiator cannot leave.
    initiator = draft.memberships.get(role="initiator")
    removed = english.post(
        reverse("alliances:member_remove", args=[draft.pk, initiator.pk]), follow=True
    ).content.decode()
    assert "The initiator cannot be removed from the alliance" in removed
    assert "发起单位不能移出联盟" not in removed


def test_the_refusals_stay_chinese_in_chinese(client, make_alliance, initiator_user):
    draft = make_alliance(until="draft", research=False, documents=False, annex1=False)
    client.force_login(initiator_user)
    refused = client.post(reverse("alliances:alliance_file", args=[draft.pk]))
    assert "未上传联盟章程" in _filing_errors(refused.content.decode())
