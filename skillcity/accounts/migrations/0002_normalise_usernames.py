"""Store every username normalised (NFKC, trimmed, case-folded; skillcity.accounts.models).

Existing names are rewritten in place. Two accounts that normalise to one name cannot both keep it:
the migration refuses and lists them, so an operator renames one before upgrading (nothing is
merged or renamed behind anyone's back).
"""

import unicodedata
from collections import defaultdict

from django.db import migrations

import skillcity.accounts.models


def _normalise(username):
    # A copy of skillcity.accounts.models.normalise_username as it was when this migration was
    # written: a migration must not change meaning when the code does.
    folded = unicodedata.normalize("NFKC", str(username or "")).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def normalise_usernames(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    by_name = defaultdict(list)
    for pk, username in User.objects.values_list("pk", "username"):
        by_name[_normalise(username)].append((pk, username))
    collisions = {name: rows for name, rows in by_name.items() if len(rows) > 1}
    if collisions:
        lines = [
            f"  {name!r}: " + ", ".join(f"#{pk} {username!r}" for pk, username in rows)
            for name, rows in sorted(collisions.items())
        ]
        raise RuntimeError(
            "用户名规范化后重复，请先改名再升级 / usernames that differ only by width, case or spaces; "
            "rename all but one of each before migrating:\n" + "\n".join(lines)
        )
    for name, [(pk, username)] in by_name.items():
        if name != username:
            User.objects.filter(pk=pk).update(username=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", skillcity.accounts.models.SkillCityUserManager()),
            ],
        ),
        migrations.RunPython(normalise_usernames, migrations.RunPython.noop),
    ]
