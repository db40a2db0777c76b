"""The timeline's own sources: the apps built before it (training, online learning, certificates,
competitions, employment, subsidies). Apps built after it register theirs in their registrations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from skillcity.timeline.sources import (
    certification,
    competitions,
    employment,
    grants,
    learning,
    register_source,
    training,
)

register_source("training", _("职业培训"), training.events)
register_source("learning", _("在线学习"), learning.events)
register_source("certification", _("技能等级认定"), certification.events)
register_source("competitions", _("竞赛与称号"), competitions.events)
register_source("employment", _("就业"), employment.events)
register_source("grants", _("补贴"), grants.events)
