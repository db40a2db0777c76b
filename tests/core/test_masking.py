"""Issue 2 item 9: ID numbers and phones are masked on pages, exports and log lines."""

import logging

import pytest

from skillcity.core.masking import MaskPersonalDataFilter, mask_id_number, mask_phone, mask_text


@pytest.mark.parametrize(
    "value, masked",
    [
        ("44190019900517123X", "4419**********123X"),
        ("441900199005171234", "4419**********1234"),
        ("", ""),
        (None, ""),
        ("1234567", "*******"),  # too short to keep anything
    ],
)
def test_an_id_number_keeps_the_region_prefix_and_last_four(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    "value, masked",
    [("13812345678", "138****5678"), ("0769-22223333", "076******3333"), ("", ""), ("12345", "*****")],
)
def test_a_phone_keeps_the_first_three_and_last_four(value, masked):
    assert mask_phone(value) == masked


def _record(msg: str, args: tuple[object, ...] = ()) -> logging.LogRecord:
    return logging.LogRecord("skillcity", logging.INFO, __file__, 1, msg, args, None)


def test_the_log_filter_masks_ids_and_phones_in_arguments():
    record = _record("worker %s phone %s", ("44190019900517123X", "13812345678"))
    assert MaskPersonalDataFilter().filter(record) is True
    assert record.getMessage() == "worker 4419**********123X phone 138****5678"


def test_the_log_filter_masks_numbers_written_into_the_message():
    record = _record("import row 3: 44190019900517123x, 13812345678; next")
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "import row 3: 4419**********123x, 138****5678; next"


def test_the_log_filter_leaves_other_numbers_alone():
    text = "order 20240101 amount 1500.00 uscc 91441900MA4UXXXX1X count 123456789012"
    assert mask_text(text) == text
    record = _record("plain %d", (42,))
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "plain 42" and record.args == (42,)


def test_a_malformed_log_record_is_kept_rather_than_lost():
    record = _record("needs %s %s", ("one",))
    assert MaskPersonalDataFilter().filter(record) is True


def test_the_filter_is_installed_on_the_platforms_log_handlers():
    from django.conf import settings

    filters = settings.LOGGING.get("filters", {})
    assert any("MaskPersonalDataFilter" in str(f.get("()", "")) for f in filters.values())
