"""Reminders: a notice for each report due within N days or overdue, once per report per day; the
`skillcity alliances remind` command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from skillcity.alliances import services
from skillcity.alliances.models import Notice, NoticeKind
from skillcity.alliances.selectors import notices_for
from skillcity.core.periods import HalfYear


def test_it_reminds_of_reports_due_soon_and_overdue(make_alliance):
    make_alliance(accepted_on=datetime.date(2024, 3, 15))
    run = services.reminders_send(actor="test", on=datetime.date(2024, 7, 20), days=14)
    [notice] = run.created
    assert notice.kind == NoticeKind.DUE_SOON and notice.period == HalfYear(2024, 1)
    assert "2024-07-31" in notice.message and "还有11天" in notice.message
    run = services.reminders_send(actor="test", on=datetime.date(2024, 8, 2), days=14)
    [notice] = run.created
    assert notice.kind == NoticeKind.OVERDUE and "已逾期" in notice.message


def test_it_is_idempotent_per_report_per_day(make_alliance):
    make_alliance(accepted_on=datetime.date(2024, 3, 15))
    first = services.reminders_send(actor="test", on=datetime.date(2025, 3, 1), days=14)
    assert [str(n.period) for n in first.created] == ["2024H2", "2024H1"]
    again = services.reminders_send(actor="test", on=datetime.date(2025, 3, 1), days=14)
    assert again.created == [] and again.already == 2
    assert Notice.objects.count() == 2
    next_day = services.reminders_send(actor="test", on=datetime.date(2025, 3, 2), days=14)
    assert len(next_day.created) == 2


def test_submitted_reports_are_not_reminded_but_returned_ones_are(
    make_alliance, initiator_user, bureau_officer
):
    alliance = make_alliance(accepted_on=datetime.date(2024, 3, 15))
    report = services.report_create(
        alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=datetime.date(2024, 7, 1)
    )
    services.report_submit(
        report=report, actor=initiator_user, contact_person="王", contact_phone="13800138000"
    )
    assert services.reminders_send(actor="test", on=datetime.date(2024, 7, 25), days=14).created == []
    services.report_return(report=report, actor=bureau_officer, reason="请补充")
    [notice] = services.reminders_send(actor="test", on=datetime.date(2024, 7, 26), days=14).created
    assert "已被退回" in notice.message


def test_notices_are_shown_to_the_initiators_users_only(
    make_alliance, initiator_user, member_user, bureau_officer
):
    make_alliance(accepted_on=datetime.date(2024, 3, 15))
    services.reminders_send(actor="test", on=datetime.date(2024, 8, 2), days=14)
    assert len(notices_for(initiator_user)) == 1
    assert notices_for(member_user) == [] and notices_for(bureau_officer) == []


def test_the_remind_command_prints_what_it_recorded(make_alliance):
    make_alliance(accepted_on=datetime.date(2024, 3, 15))
    out = io.StringIO()
    call_command("alliances", "remind", "--date", "2024-08-02", "--days", "7", stdout=out)
    text = out.getvalue()
    assert (
        "已逾期" in text
        and "2024-08-02: 1 reminders recorded for 1 alliances, 0 already recorded today" in text
    )
    out = io.StringIO()
    call_command("alliances", "remind", "--date", "2024-08-02", stdout=out)
    assert "0 reminders recorded for 0 alliances, 1 already recorded today" in out.getvalue()


def test_the_remind_command_rejects_a_bad_date_naming_the_option(db):
    # From the console argparse's usage error exits 2 (tests/core/test_cli_options.py runs it so).
    with pytest.raises(CommandError, match=r"--date.*日期无效"):
        call_command("alliances", "remind", "--date", "2024-13-01")


def test_the_overdue_command_lists_missing_reports(make_alliance):
    make_alliance(accepted_on=datetime.date(2024, 3, 15))
    out = io.StringIO()
    call_command("alliances", "overdue", "--date", "2025-02-01", stdout=out)
    assert "missing 2024H2, 2024H1" in out.getvalue()
