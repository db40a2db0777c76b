"""The registry's background exports now live in core (core 0005 copied the rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_background_export"),
        ("core", "0005_export_for_every_app"),
    ]

    operations = [migrations.DeleteModel(name="Export")]
