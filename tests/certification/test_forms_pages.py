"""The certification forms (filing, new session, candidate, scores) put every error next to its field,
in Chinese, naming the field's label; the top of a form only counts them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcity.certification import services
from skillcity.certification.models import Candidate, Evaluator, Session
from tests.certification.conftest import make_session

pytestmark = pytest.mark.django_db


def test_the_filing_form_names_each_wrong_field_and_puts_a_scope_error_on_its_row(
    client, enterprise_user, lathe, welder
):
    client.force_login(enterprise_user)
    url = reverse("certification:evaluator_file")
    page = client.get(url).content.decode()
    assert 'name="scope_occupation_1"' in page and 'name="kind"' in page
    # Nothing chosen: the kind is missing, and the scope (the service's judgement) on the first row.
    empty = client.post(url, {"kind": "", "scope_highest_1": "3", "scope_lowest_1": "5"})
    assert empty.status_code == 400 and not Evaluator.objects.exists()
    assert empty.context["form"].errors["kind"] == ["请选择“评价机构类别”"]
    # The kind known, the scope on the second row out of order (highest below lowest).
    levels = {f"scope_{e}_{i}": v for i in (1, 2, 3) for e, v in (("highest", "3"), ("lowest", "5"))}
    wrong = client.post(
        url,
        {"kind": "enterprise", **levels, "scope_occupation_2": welder.code, "scope_highest_2": "5",
         "scope_lowest_2": "1"},
    )  # fmt: skip
    html = wrong.content.decode()
    assert wrong.status_code == 400 and not Evaluator.objects.exists()
    assert list(wrong.context["form"].errors) == ["scope_occupation_2"]
    assert "焊工" in wrong.context["form"].errors["scope_occupation_2"][0]
    assert 'id="error-scope_occupation_2"' in html and "请修正以下 1 处错误" in html
    ok = client.post(url, {"kind": "enterprise", **levels, "scope_occupation_1": lathe.code}, follow=True)
    assert Evaluator.objects.get().scopes.get().occupation == lathe and ok.status_code == 200


def test_the_new_session_form_shows_all_its_errors_next_to_the_fields(client, evaluator, enterprise_user):
    client.force_login(enterprise_user)
    url = reverse("certification:session_create", args=[evaluator.pk])
    page = client.get(reverse("certification:evaluator_detail", args=[evaluator.pk])).content.decode()
    assert 'id="id_site"' in page
    r = client.post(
        url, {"occupation": "", "level": "9", "kind": "grading", "date": "2024/06/01", "site": " "}
    )
    html = r.content.decode()
    assert r.status_code == 400 and not Session.objects.exists()
    errors = r.context["session_form"].errors
    assert set(errors) == {"occupation", "level", "date", "site"}
    assert errors["occupation"] == ["请选择“职业（工种）”"] and errors["site"] == ["请填写“考核地点”"]
    assert "请修正以下 4 处错误" in html and 'id="error-site"' in html and 'aria-invalid="true"' in html
    # The service's judgement (a level outside the filed scope) also lands on its field.
    occupation = evaluator.scopes.get().occupation
    outside = client.post(
        url,
        {
            "occupation": occupation.pk,
            "level": "1",
            "kind": "grading",
            "date": "2024-06-01",
            "site": "考核站",
        },
    )
    assert outside.status_code == 400 and "等级" in outside.context["session_form"].errors["level"][0]
    done = client.post(
        url,
        {
            "occupation": occupation.pk,
            "level": "4",
            "kind": "grading",
            "date": "2024-06-01",
            "site": "考核站",
        },
    )
    assert done.status_code == 302 and Session.objects.get().site == "考核站"


def test_the_candidate_form_names_the_id_number_and_the_grounds_note(
    client, evaluator, lathe, enterprise_user, changan_worker
):
    session = make_session(evaluator, lathe, enterprise_user, level=3, kind="promotion")
    client.force_login(enterprise_user)
    url = reverse("certification:candidate_add", args=[session.pk])
    empty = client.post(url, {"id_number": ""})
    assert empty.status_code == 400
    assert empty.context["candidate_form"].errors["id_number"] == ["请填写“身份证号码”"]
    unknown = client.post(url, {"id_number": "441900199001010011"})
    assert "没有该身份证号码" in unknown.context["candidate_form"].errors["id_number"][0]
    assert 'id="error-id_number"' in unknown.content.decode()
    grounds = {"id_number": changan_worker.id_number, "exceptional_grounds": "provincial_award"}
    no_note = client.post(url, grounds)
    assert no_note.status_code == 400
    assert no_note.context["candidate_form"].errors["exceptional_note"] == [
        "“破格说明（破格时必填）”：请填写破格说明"
    ]
    assert not Candidate.objects.exists()


def test_a_wrong_score_comes_back_on_its_candidates_row(
    client, evaluator, lathe, enterprise_user, changan_worker
):
    session = make_session(evaluator, lathe, enterprise_user)
    candidate = services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    client.force_login(enterprise_user)
    url = reverse("certification:result_record", args=[candidate.pk])
    r = client.post(url, {"theory_score": "abc", "practical_score": "101"})
    html = r.content.decode()
    assert r.status_code == 400
    rows = dict(r.context["rows"])
    errors = rows[Candidate.objects.get()].errors
    assert set(errors) == {"theory_score", "practical_score"}
    assert errors["theory_score"] == ["“理论知识成绩”：成绩应为数字"]
    assert errors["practical_score"] == ["“操作技能成绩”：成绩应在0-100之间"]
    assert f'id="score-{candidate.pk}-theory_score"' in html and 'aria-invalid="true"' in html
    candidate.refresh_from_db()
    assert candidate.theory_score is None
    ok = client.post(url, {"theory_score": "70", "practical_score": "90"})
    assert ok.status_code == 302


def test_the_review_note_is_asked_for_next_to_its_field_when_returning_or_suspending(
    client, bureau_officer, evaluator, humen, lathe
):
    from tests.factories import OrganisationFactory

    waiting = services.evaluator_file(
        organisation=OrganisationFactory(town=humen, name="虎门待审企业"),
        kind="enterprise",
        scope=[(lathe, 3, 5)],
        actor=bureau_officer,
    )
    client.force_login(bureau_officer)
    url = reverse("certification:evaluator_review", args=[waiting.pk])
    returned = client.post(url, {"decision": "return", "note": ""})
    html = returned.content.decode()
    assert returned.status_code == 400
    assert returned.context["review_form"].errors["note"] == [
        "“审核意见（退回、不予备案、暂停时必填）”：请填写理由"
    ]
    assert 'id="error-note"' in html and "请修正以下 1 处错误" in html and 'aria-invalid="true"' in html
    waiting.refresh_from_db()
    assert waiting.state == Evaluator.State.FILED
    # Suspending an active evaluator: the service's "reason" is the same note field.
    suspended = client.post(
        reverse("certification:evaluator_review", args=[evaluator.pk]), {"decision": "suspend"}
    )
    assert suspended.status_code == 400
    assert "请填写原因" in suspended.context["review_form"].errors["note"][0]
    evaluator.refresh_from_db()
    assert evaluator.state == Evaluator.State.ACTIVE


def test_the_revoke_reason_and_the_issue_date_are_judged_next_to_their_fields(
    client, evaluator, lathe, enterprise_user, changan_worker
):
    session = make_session(evaluator, lathe, enterprise_user)
    candidate = services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    services.result_record(candidate=candidate, theory="75", practical="80", actor=enterprise_user)
    client.force_login(enterprise_user)
    issue = reverse("certification:certificates_issue", args=[session.pk])
    page = client.get(reverse("certification:session_detail", args=[session.pk])).content.decode()
    assert 'id="issue-issued_on"' in page and 'type="date"' in page
    bad = client.post(issue, {"issued_on": "2024/06/01"})
    assert bad.status_code == 400 and "发证日期" in bad.context["issue_form"].errors["issued_on"][0]
    early = client.post(issue, {"issued_on": "2024-01-01"})
    assert early.status_code == 400
    assert early.context["issue_form"].errors["issued_on"] == ["“发证日期”：早于考核日期"]
    assert 'id="error-issued_on"' in early.content.decode()
    assert not hasattr(Candidate.objects.get(), "certificate")
    assert client.post(issue, {"issued_on": "2024-06-01"}).status_code == 302
    certificate = Candidate.objects.get().certificate
    revoke = reverse("certification:certificate_revoke", args=[certificate.pk])
    empty = client.post(revoke, {"reason": "  "})
    html = empty.content.decode()
    assert empty.status_code == 400
    assert empty.context["revoke_form"].errors["reason"] == ["请填写“撤销原因”"]
    assert 'id="error-reason"' in html and 'id="revoke-reason"' in html
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert client.post(revoke, {"reason": "材料造假"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    # Sent twice (a second tab): the refusal shows at the form's top, not lost.
    again = client.post(revoke, {"reason": "材料造假"})
    assert again.status_code == 400 and "已于" in again.content.decode()
