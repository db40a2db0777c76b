from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "skillcity.talents"
    label = "talents"
    verbose_name = "技能人才"

    def ready(self) -> None:
        from skillcity.grants.flows import register_fact_provider
        from skillcity.registry.signals import basis_revoked
        from skillcity.talents.selectors.cards import provide_studio_lead
        from skillcity.talents.services import pool  # noqa: F401  (registers the pool's background export)
        from skillcity.talents.services.cards import on_basis_revoked

        # TAL-CARD's studio_lead_level (certification provides titles and the highest level).
        register_fact_provider("TAL-CARD", provide_studio_lead)
        basis_revoked.connect(on_basis_revoked, dispatch_uid="talents.card_recheck")
