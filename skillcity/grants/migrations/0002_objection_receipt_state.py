"""Objections get a receipt number, the address they came from, a labelled state and bounded text.

Existing objections get receipts from the date they were lodged, and a state from how they were
resolved (upheld → 异议成立, resolved and not upheld → 异议不成立, unresolved → 待处理).
"""

import secrets

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def fill(apps, schema_editor):
    from django.utils import timezone

    Objection = apps.get_model("grants", "Objection")
    used = set()
    for objection in Objection.objects.order_by("pk"):
        while True:
            day = timezone.localtime(objection.lodged_at).strftime("%Y%m%d")
            receipt = f"{day}-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
            if receipt not in used:
                break
        used.add(receipt)
        objection.receipt = receipt
        if objection.resolved_at is None:
            objection.state = "open"
        else:
            objection.state = "upheld" if objection.upheld else "dismissed"
        objection.save(update_fields=["receipt", "state"])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="objection",
            name="receipt",
            field=models.CharField(max_length=20, null=True, verbose_name="回执编号"),
        ),
        migrations.AddField(
            model_name="objection",
            name="address",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64, verbose_name="来源地址"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="objection",
            name="state",
            field=models.CharField(
                choices=[
                    ("open", "待处理"),
                    ("upheld", "异议成立"),
                    ("dismissed", "异议不成立"),
                    ("spam", "作为垃圾异议驳回"),
                ],
                default="open",
                max_length=12,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="objection",
            name="lodged_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="objection",
            name="receipt",
            field=models.CharField(max_length=20, unique=True, verbose_name="回执编号"),
        ),
        migrations.AlterField(
            model_name="objection",
            name="text",
            field=models.TextField(max_length=2000, verbose_name="异议内容"),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("text"), 2000
                ),
                name="grants_objection_text_bounded",
            ),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("resolved_at__isnull", True), ("state", "open")),
                    models.Q(models.Q(("state", "open"), _negated=True), ("resolved_at__isnull", False)),
                    _connector="OR",
                ),
                name="grants_objection_state_matches_resolution",
            ),
        ),
    ]
