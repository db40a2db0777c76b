"""Demo data of supervision (issue 20 §6): a small planted set (a few cases of every kind, and their
near-misses) in the demo city, a full run of the checks over it, then a few alerts moved through the
workflow. Idempotent: a city already planted is left as it is (the run is not repeated either)."""

from __future__ import annotations

from typing import Any

from skillcity.supervision.planting import plant_fraud, planted_rounds


def supervision_demo(seed: int, stdout: Any) -> None:
    from skillcity.supervision.services import supervise

    if 0 in planted_rounds():
        return
    truth = plant_fraud(seed=seed, size="demo")
    counts = ", ".join(f"{k} {len(e['cases'])}+{len(e['near_miss'])}" for k, e in truth["kinds"].items())
    stdout.write(f"  planted (cases+near-misses): {counts}")
    run = supervise(full=True, actor=None)
    raised = sum(c.get("raised", 0) for c in run.counts.values())
    stdout.write(f"  supervision: {len(run.checks)} checks, {raised} alerts")
    _workflow_demo(seed, stdout)


def _workflow_demo(seed: int, stdout: Any) -> None:
    """Issue 20 §6: a few alerts moved through the workflow by the demo's bureau officers, each step by
    `services.workflow` (its event and audit row): two assigned, one under investigation, one employment
    claim confirmed, its school's payments put on hold and the award recovered (grants' ledger), one
    dismissed with a reason. Deterministic: the alerts are taken in the order of their check and id."""
    from skillcity.accounts.models import User
    from skillcity.grants.services.recoveries import recoverable
    from skillcity.supervision.models import Alert, AlertState
    from skillcity.supervision.services import workflow

    officers = list(User.objects.filter(role="bureau_officer", is_active=True).order_by("username")[:2])
    if not officers:
        stdout.write("  supervision workflow: no bureau officer, alerts left open")
        return
    actor, colleague = officers[0], officers[-1]
    open_alerts = Alert.objects.filter(state=AlertState.OPEN).order_by("check_id", "id")
    moved: dict[str, int] = {}

    def first(check_id: str, taken: set[int]) -> Alert | None:
        return open_alerts.filter(check_id=check_id).exclude(pk__in=taken).first()

    taken: set[int] = set()
    # Confirmed, held and recovered: a school paid for a graduate with no contribution at all.
    claim = first("SUP-EMPLOYMENT-CLAIM", taken)
    if claim is not None:
        taken.add(claim.pk)
        workflow.alert_assign(alert=claim, assignee=actor, actor=actor, note="演示：市局直接办理")
        workflow.alert_investigate(alert=claim, actor=actor, note="调取社保缴费记录，核对就业协议")
        workflow.alert_confirm(
            alert=claim, actor=actor, reason="经核查，该毕业生在申报期内无任何社保缴费记录，就业证明不实"
        )
        workflow.hold_place(alert=claim, actor=actor, reason="核查期间暂停该院校未拨付的补贴")
        moved["confirmed"] = 1
        moved["hold"] = 1
        paid = [a for a in workflow.recoverable_applications(claim) if recoverable(a) > 0]
        application = next((a for a in paid if a.worker_id == claim.worker_id), paid[0] if paid else None)
        if application is not None:
            workflow.alert_recover(
                alert=claim,
                application_id=application.pk,
                amount=recoverable(application),
                reason="就业证明不实，追回留莞就业奖励",
                actor=actor,
                idempotency_key=f"demo-supervision-{seed}-{claim.pk}",
            )
            moved["recovered"] = 1
    # Under investigation: a burst of sign-ins.
    burst = first("SUP-BURST", taken)
    if burst is not None:
        taken.add(burst.pk)
        workflow.alert_investigate(alert=burst, actor=actor, note="调取签到设备日志和现场监控")
        moved["investigating"] = 1
    # Assigned to a colleague: a ghost trainee and an impossible schedule.
    for check_id in ("SUP-GHOST", "SUP-SCHEDULE"):
        alert = first(check_id, taken)
        if alert is not None:
            taken.add(alert.pk)
            workflow.alert_assign(alert=alert, assignee=colleague, actor=actor, note="请核实学员身份和出勤")
            moved["assigned"] = moved.get("assigned", 0) + 1
    # Dismissed with a reason.
    dismissed = first("SUP-THRESHOLD", taken) or first("SUP-LEARNING", taken)
    if dismissed is not None:
        workflow.alert_dismiss(
            alert=dismissed,
            actor=actor,
            reason="经核查，相关记录有合理解释（演示：已调阅书面材料），不构成违规",
        )
        moved["dismissed"] = 1
    said = ", ".join(f"{k} {v}" for k, v in moved.items()) or "none"
    stdout.write(f"  supervision workflow: {said}")
