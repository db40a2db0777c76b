"""Hand-written SQL gives the same Python values as the ORM (skillcity.core.rawsql)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from skillcity.core.rawsql import RowModel, Statement, convert_value, driver_cursor
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


def test_a_statement_runs_on_the_drivers_cursor_with_the_same_placeholders(changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    statement = Statement("SELECT code, face_value FROM training_voucher WHERE id = %s AND state = %s")
    with driver_cursor(connection) as cursor:
        code, face_value = statement.run(cursor, [voucher.pk, "issued"]).fetchone()
    assert code == voucher.code
    assert convert_value(Voucher, "face_value", face_value) == Decimal("800.00")


def test_a_statement_refuses_placeholders_it_cannot_translate():
    for sql in ("SELECT 1 WHERE 'a' LIKE '%%'", "SELECT %(name)s"):
        with pytest.raises(ValueError):
            Statement(sql)


def test_a_statement_raises_djangos_integrity_error(changan_worker):
    voucher = issue([changan_worker]).vouchers.get()  # its 'issued' event is in the ledger
    again = Statement(
        "INSERT INTO training_voucherevent (voucher_id, state, at, actor_label, note) VALUES (%s, %s, %s, %s, %s)"
    )
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        driver_cursor(connection) as cursor,
    ):
        again.run(cursor, [voucher.pk, "issued", at, "test", ""])


def test_a_failing_statement_marks_the_connection_as_django_would():
    connection.errors_occurred = False
    try:
        with pytest.raises(DatabaseError), driver_cursor(connection) as cursor:
            Statement("SELECT * FROM no_such_table").run(cursor, [])
        assert connection.errors_occurred  # close_old_connections() checks it at the request's end
    finally:
        connection.errors_occurred = False
