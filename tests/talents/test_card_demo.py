"""The card's demo step: services marked as demo values, imports, an honours list, cards for the eligible
only; a second run adds nothing."""

from __future__ import annotations

import datetime
import io

import pytest

from skillcity.accounts.models import Role
from skillcity.registry.models import SkillRecord
from skillcity.talents.demo_card import card_demo_step
from skillcity.talents.models import CardService, HonourList, StudioLead, TalentCard, TitleAward
from skillcity.talents.selectors.cards import card_eligibility, verify_card_token
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def test_the_demo_issues_cards_to_the_eligible_only_and_runs_once(changan):
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    skilled = []
    for i in range(20):
        w = WorkerFactory(town=changan, highest_level=2 if i < 4 else 3)
        SkillRecord.objects.create(
            worker=w, kind="skill_level", level=w.highest_level, obtained_on=datetime.date(2024, 1, 1)
        )
        skilled.append(w)
    for _ in range(5):
        WorkerFactory(town=changan, highest_level=None)
    card_demo_step(1, io.StringIO())
    assert CardService.objects.count() == 12 and all(s.demo for s in CardService.objects.all())
    assert TitleAward.objects.count() == 6 and StudioLead.objects.count() == 8
    assert HonourList.objects.get().winners.count() == 30
    holders = set(TalentCard.objects.values_list("worker_id", flat=True))
    assert holders == {w.pk for w in skilled if card_eligibility(w).eligible}
    assert len(holders) >= 14  # each of the 14 imported titles and studio leads, and the level-2 workers
    card = TalentCard.objects.first()
    assert verify_card_token(card.qr_token).status == "valid"
    card_demo_step(1, io.StringIO())
    assert TalentCard.objects.count() == len(holders) and HonourList.objects.count() == 1
