from typing import Any

from django.apps import AppConfig
from django.core import checks


class PolicyConfig(AppConfig):
    name = "skillcity.policy"
    label = "policy"
    verbose_name = "政策引擎"

    def ready(self) -> None:
        checks.register(active_pack_check)


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
