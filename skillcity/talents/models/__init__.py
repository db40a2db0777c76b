"""Talents (技能人才): the talent card, leading talents, exceptional promotion, the pool, the honours share.

Catalog §6 and §5, D002 items 23–27, D003 §一(六). One module per area; each is imported here (one line each).
"""

from skillcity.talents.models.cards import *  # noqa: F403
from skillcity.talents.models.leading import *  # noqa: F403
