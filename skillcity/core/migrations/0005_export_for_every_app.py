"""Background exports move from the registry to core, so that every app's large lists use them: the
same columns, `kind` any registered kind (no fixed choices). Rows already there are copied with their
ids (their files and download links stay valid); registry 0004 then drops its table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = (
    "id",
    "owner_id",
    "kind",
    "filters",
    "full",
    "status",
    "rows_total",
    "rows_done",
    "file_name",
    "error",
    "created_at",
    "finished_at",
)


def copy_registry_exports(apps, schema_editor):
    old = apps.get_model("registry", "Export")
    new = apps.get_model("core", "Export")
    new.objects.bulk_create(
        new(**{f: getattr(e, f) for f in FIELDS}) for e in old.objects.all().iterator()
    )
    if schema_editor.connection.vendor == "postgresql" and new.objects.exists():
        table = new._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_guards"),
        ("registry", "0003_background_export"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Export",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40, verbose_name="导出内容")),
                ("filters", models.JSONField(blank=True, default=dict)),
                ("full", models.BooleanField(default=False, verbose_name="含完整个人信息")),
                (
                    "status",
                    models.CharField(
                        choices=[("queued", "排队中"), ("running", "生成中"), ("done", "已完成"), ("failed", "失败")],
                        default="queued",
                        max_length=8,
                        verbose_name="状态",
                    ),
                ),
                ("rows_total", models.PositiveIntegerField(default=0)),
                ("rows_done", models.PositiveIntegerField(default=0)),
                ("file_name", models.CharField(blank=True, max_length=200)),
                ("error", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="background_exports",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="导出人",
                    ),
                ),
            ],
            options={"verbose_name": "导出", "ordering": ["-id"]},
        ),
        migrations.RunPython(copy_registry_exports, migrations.RunPython.noop),
    ]
