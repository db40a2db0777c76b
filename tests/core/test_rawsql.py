"""Hand-written SQL gives the same Python values as the ORM (skillcity.core.rawsql)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from skillcity.core.rawsql import RowModel, convert_value
from skillcity.training.models import Voucher
from tests.training.conftest import issue

pytestmark = pytest.mark.django_db


def test_a_row_read_by_hand_builds_the_instance_the_orm_would(changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    row_model = RowModel(Voucher, "v")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {row_model.columns} FROM training_voucher v WHERE v.id = %s", [voucher.pk])
        built = row_model.build(cursor.fetchone())
    orm = Voucher.objects.get(pk=voucher.pk)
    for field in Voucher._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(orm, field.attname), field.name
    assert isinstance(built.face_value, Decimal) and built.face_value == Decimal("800.00")
    assert isinstance(built.valid_from, datetime.date)
    assert not built._state.adding


def test_one_raw_value_is_converted_like_the_orm(changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT valid_to, face_value FROM training_voucher WHERE id = %s", [voucher.pk])
        valid_to, face_value = cursor.fetchone()
    assert convert_value(Voucher, "valid_to", valid_to) == datetime.date(2030, 12, 31)
    assert convert_value(Voucher, "face_value", face_value) == Decimal("800.00")
