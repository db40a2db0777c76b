"""Skill platforms (技能平台): master studios, public training sub-bases, school–enterprise bases,
training and evaluation standards, the expert pool. Catalog §4 and §2; D002 items 1–5, 15, 16, 20.
One module per part; each is imported here (one line each)."""

from skillcity.platforms.models.bases import *  # noqa: F403
from skillcity.platforms.models.experts import *  # noqa: F403
from skillcity.platforms.models.standards import *  # noqa: F403
from skillcity.platforms.models.studios import *  # noqa: F403
from skillcity.platforms.models.subbases import *  # noqa: F403
