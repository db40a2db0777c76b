import json
import pytest
from django.test import Client
from skillcity.accounts.services import token_create

pytestmark = pytest.mark.django_db

def tok(user):
    _t, clear = token_create(user=user, name="t", actor="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {clear}", raise_request_exception=False)

QS = ["x=1"]

def test_repro(bureau_officer, changan_worker):
    c = tok(bureau_officer)
    web = Client(raise_request_exception=False); web.force_login(bureau_officer)
    for path in ["/api/v1/registry/workers", "/api/v1/registry/organisations", "/api/v1/alliances"]:
        for q in QS:
            r = c.get(f"{path}?{q}")
            print(path, q, r.status_code, r.content[:100] if r.status_code >= 500 else "")
    from django.urls import reverse
    for name in ["registry:worker_list", "registry:worker_export", "registry:organisation_list", "registry:organisation_export", "alliances:list"]:
        try:
            url = reverse(name)
        except Exception as e:
            print("no", name, e); continue
        for q in QS:
            r = web.get(f"{url}?{q}")
            print(url, q, r.status_code)

def test_pk(bureau_officer, changan_worker):
    from skillcity.registry.models import Worker
    print(Worker.objects.filter(pk=10**20).exists(), Worker.objects.filter(town_id=10**20).exists() if False else "")
    c = tok(bureau_officer)
    for path in ["/api/v1/registry/workers/99999999999999999999", "/api/v1/registry/workers/99999999999999999999/records", "/api/v1/alliances/99999999999999999999"]:
        print(path, c.get(path).status_code)
    r = c.patch(f"/api/v1/registry/workers/{changan_worker.pk}", "[]", content_type="application/json"); print("array", r.status_code, r.content[:200])
    r = c.patch(f"/api/v1/registry/workers/{changan_worker.pk}", '[{"name":"x"}]', content_type="application/json"); print("array", r.status_code, r.content[:200])
    r = c.patch(f"/api/v1/registry/workers/{changan_worker.pk}", '"x"', content_type="application/json"); print("str", r.status_code, r.content[:200])
