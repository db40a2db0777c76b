from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class PolicyConfig(AppConfig):
    name = "skillcity.policy"
    label = "policy"
    verbose_name = "政策引擎"

    def ready(self) -> None:
        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job, the_day
        from skillcity.policy import published
        from skillcity.policy.lifecycle.documents import documents_sync_after_migrate

        # Each request and job checks once whether the bureau published or withdrew a version.
        published.connect_signals()
        # The shipped documents (documents.yaml) into the table after every migrate, idempotently.
        post_migrate.connect(documents_sync_after_migrate, sender=self, dispatch_uid="policy.documents_sync")
        register_periodic_job(
            PeriodicJob(
                name="policy.expiry_warnings",
                period="daily",
                task="skillcity.policy.tasks.policy_expiry_warn_task",
                reason="政策文件或规则最后一个版本到期前提醒市人社局（SKILLCITY_POLICY_EXPIRY_WARNING_DAYS 天内到期）",
                arguments=the_day,
            )
        )
        checks.register(active_pack_check)
        # Tagged `database`: it reads tables, so it runs on `migrate` and `check --database default`, never
        # on every command's start (a read there would hold the demo's SQLite file while it is built).
        checks.register(other_pack_rows_check, checks.Tags.database)


def active_pack_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The pack SKILLCITY_POLICY_PACK selects exists and passes check-pack: found when the server starts,
    not at the first calculator request."""
    from skillcity.policy.pack import loader

    try:
        loader.load()
    except loader.UnknownPack as exc:
        return [checks.Error(str(exc.message), id="policy.E001")]
    except loader.PackError as exc:
        return [checks.Error(f"政策包 {loader.active_name()} 有问题：\n{exc}", id="policy.E002")]
    return []


def other_pack_rows_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Published versions or documents registered under another pack than the active one: they are not
    laid over (each pack sees only its own), which after a switch of SKILLCITY_POLICY_PACK is likely a
    mistake, so say so (`skillcity check --database default`, and after every `migrate`)."""
    from django.db import DatabaseError

    if not kwargs.get("databases"):
        return []

    from skillcity.policy.models import DocumentOrigin, DraftState, PolicyDocument, PolicyDraft
    from skillcity.policy.pack import loader

    active = loader.active_name()
    try:
        drafts = sorted(
            set(
                PolicyDraft.objects.filter(state=DraftState.APPROVED)
                .exclude(pack=active)
                .values_list("pack", flat=True)
            )
        )
        documents = sorted(
            set(
                PolicyDocument.objects.filter(origin=DocumentOrigin.BUREAU, published=True)
                .exclude(pack=active)
                .values_list("pack", flat=True)
            )
        )
    except (DatabaseError, RuntimeError):  # no database (not migrated yet, a test without access)
        return []
    others = sorted(set(drafts) | set(documents))
    if not others:
        return []
    return [
        checks.Warning(
            f"数据库中有政策包 {'、'.join(others)} 发布的参数版本或登记的文件，当前政策包是 {active}："
            "它们不会叠加到当前政策包上。",
            hint="如果切换政策包是误操作，请把 SKILLCITY_POLICY_PACK 改回原来的政策包。",
            id="policy.W001",
        )
    ]
