"""The bureau's employment statistics from the records: graduates employed per school and year
(T-TECH-SCHOOLS, tests/schools/test_grad_retention.py), insured workers by town, hires and separations per month; a town officer sees the
town's workers only."""

from __future__ import annotations

import datetime

import pytest

from skillcity.accounts.services import token_create
from skillcity.employment.selectors.stats import summary
from tests.employment.helpers import contribute
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


@pytest.fixture
def ledger(changan, humen, changan_enterprise):
    """Changan: one worker insured Jan–Jun 2025 (hired January, left June), one from April on; Humen: one
    worker insured all year. The ledger's latest month is 2025-12."""
    left, joined = WorkerFactory(town=changan), WorkerFactory(town=changan)
    contribute(left, changan_enterprise, "2025-01", 6)
    contribute(joined, changan_enterprise, "2025-04", 9)
    contribute(WorkerFactory(town=humen), changan_enterprise, "2025-01", 12)


def test_hires_separations_and_towns_come_from_the_contributions(ledger, changan, humen):
    s = summary()
    assert s.latest == datetime.date(2025, 12, 1) and s.insured == 2 and s.in_dongguan == 2
    assert dict(s.by_town) == {changan.name: 1, humen.name: 1}
    flows = {f.month: f for f in s.flows}
    assert len(s.flows) == 12 and s.flows[0].month == datetime.date(2025, 12, 1)
    assert flows[datetime.date(2025, 4, 1)].hires == 1
    assert flows[datetime.date(2025, 6, 1)].separations == 1
    assert flows[datetime.date(2025, 6, 1)].insured == 3
    assert flows[datetime.date(2025, 12, 1)].separations is None  # not known yet
    # January is the first month shown, and the month before it is read: the two hires there count.
    assert flows[datetime.date(2025, 1, 1)].hires == 2
    town = summary(town_id=humen.pk)
    assert town.insured == 1 and dict(town.by_town) == {humen.name: 1}


def test_the_page_and_the_api(client, ledger, bureau_officer, humen_officer, worker_user):
    client.force_login(bureau_officer)
    html = client.get("/employment/stats/").content.decode()
    assert "技工院校毕业生就业率" in html and "2025-12" in html and "待下月确定" in html
    client.force_login(humen_officer)
    town_html = client.get("/employment/stats/").content.decode()
    assert "技工院校毕业生就业率" not in town_html and "本页只统计本镇街的劳动者" in town_html
    client.force_login(worker_user)
    assert client.get("/employment/stats/").status_code == 403
    body = client.get("/api/v1/employment/stats", **auth(bureau_officer)).json()
    assert body["insured"] == 2 and body["latest_month"] == "2025-12-01" and len(body["flows"]) == 12
    assert client.get("/api/v1/employment/stats", **auth(humen_officer)).json()["insured"] == 1
    bad = client.get("/api/v1/employment/stats?years=abc", **auth(bureau_officer))
    assert bad.status_code == 400 and "years" in bad.json()["fields"]
    assert client.get("/api/v1/employment/stats", **auth(worker_user)).status_code == 403


def test_the_api_reads_the_same_cached_figures_as_the_page(client, ledger, bureau_officer, monkeypatch):
    from django.core.cache import cache

    from skillcity.employment.selectors import stats

    cache.clear()
    calls = []
    real = stats.summary
    monkeypatch.setattr(stats, "summary", lambda **kw: calls.append(kw) or real(**kw))
    h = auth(bureau_officer)
    first = client.get("/api/v1/employment/stats", **h).json()
    again = client.get("/api/v1/employment/stats", **h).json()
    assert first == again and len(calls) == 1  # the second from the cache


def test_one_latest_month_helper_on_an_index_of_months(ledger, humen):
    from skillcity.employment.models import Contribution
    from skillcity.employment.selectors import latest_month

    assert ["month"] in [list(i.fields) for i in Contribution._meta.indexes]
    assert latest_month() == datetime.date(2025, 12, 1)
    assert latest_month(town_id=humen.pk) == datetime.date(2025, 12, 1)
