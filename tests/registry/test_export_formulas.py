"""Registry exports write names that look like formulas as text (OWASP CSV injection)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.exports import AT, CALC, HYPERLINK, PLUS, assert_text_not_formula
from tests.factories import OrganisationFactory, WorkerFactory


@pytest.mark.django_db
def test_it_writes_worker_names_that_look_like_formulas_as_text(client, bureau_officer, changan):
    employer = OrganisationFactory(town=changan, name=PLUS)
    WorkerFactory(town=changan, name=HYPERLINK, employer=employer)
    WorkerFactory(town=changan, name=CALC)
    client.force_login(bureau_officer)
    for query in ("", "?full=1"):
        response = client.get(reverse("registry:worker_export") + query)
        assert response.status_code == 200
        assert_text_not_formula(response.content, HYPERLINK, CALC, PLUS)


@pytest.mark.django_db
def test_it_writes_organisation_fields_that_look_like_formulas_as_text(client, bureau_officer, changan):
    OrganisationFactory(town=changan, name=PLUS, legal_representative=HYPERLINK, contact_person=AT)
    OrganisationFactory(town=changan, name=AT + "有限公司", office_phone="-0769")
    client.force_login(bureau_officer)
    response = client.get(reverse("registry:organisation_export"))
    assert response.status_code == 200
    assert_text_not_formula(response.content, PLUS, HYPERLINK, AT, AT + "有限公司", "-0769")
