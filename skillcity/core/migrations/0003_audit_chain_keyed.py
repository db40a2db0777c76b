"""The audit chain gets sequence numbers and is re-keyed: HMAC-SHA-256 under the audit key.

Rows written before this migration were hashed with plain SHA-256, which anyone who can write to
the database can recompute. Here the old chain is verified as it was (plain SHA-256, row by row
in id order); if it holds, every row gets its sequence number (1, 2, 3 … in id order) and a new
hash under the key (made now if there is none, skillcity.core.audit_key), and the new head is
sealed into the anchor file. If the old chain does not hold, the migration stops and names the
row, so that nobody re-keys over a tampered log without knowing: investigate it with the previous
release's `skillcity audit verify`; set SKILLCITY_AUDIT_REKEY_BROKEN=1 to re-key anyway (the row
is then written to the migration's output, which the operator keeps with the incident record).

The guard triggers are dropped for the rewrite and made again, stronger, in 0004. Going back
restores 0002's guards; the rows keep their keyed hashes (a plain SHA-256 chain is not restored).
"""

import hashlib
import importlib
import os

from django.db import migrations, models

from skillcity.core.audit import GENESIS, _hashed_fields, chain_payload

DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS core_auditevent_no_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent"],
}


def drop_guards(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def restore_guards(apps, schema_editor):
    importlib.import_module("skillcity.core.migrations.0002_audit_append_only").forward(apps, schema_editor)


def rekey(apps, schema_editor):
    # Imported here: the anchor and key modules read settings, which a migration's import must not.
    from skillcity.core.audit import audit_seal
    from skillcity.core.audit_key import audit_key, keyed_digest

    AuditEvent = apps.get_model("core", "AuditEvent")
    if not AuditEvent.objects.exists():
        return
    key = audit_key(create=True)
    legacy_prev = new_prev = GENESIS
    rows = AuditEvent.objects.order_by("id").values_list(
        "id", "at", "actor_id", "actor_label", "action", "target_type", "target_id",
        "target_label", "before", "after", "prev_hash", "hash",
    )
    updates = []
    for seq, (pk, *content, prev_hash, old_hash) in enumerate(rows.iterator(chunk_size=5000), start=1):
        fields = _hashed_fields(seq, *content)
        legacy = dict(fields)
        del legacy["seq"]
        legacy_digest = hashlib.sha256(chain_payload(legacy_prev, legacy).encode("utf-8")).hexdigest()
        if prev_hash != legacy_prev or legacy_digest != old_hash:
            message = (
                f"the audit chain written before this upgrade is broken at row {pk}: not re-keying it "
                "(see skillcity/core/migrations/0003_audit_chain_keyed.py)"
            )
            if os.environ.get("SKILLCITY_AUDIT_REKEY_BROKEN") != "1":
                raise RuntimeError(message)
            print(f"\n  WARNING: {message}; re-keyed anyway (SKILLCITY_AUDIT_REKEY_BROKEN=1)")
        legacy_prev = old_hash
        new_hash = keyed_digest(key, chain_payload(new_prev, fields))
        updates.append((seq, new_prev, new_hash, pk))
        new_prev = new_hash
    with schema_editor.connection.cursor() as cursor:
        # Old hashes are unique too: park every row on a temporary hash first, so that no new hash
        # ever meets an old one on the unique index part-way through.
        cursor.executemany(
            "UPDATE core_auditevent SET hash = %s WHERE id = %s", [(f"rekey-{pk}", pk) for *_, pk in updates]
        )
        cursor.executemany(
            "UPDATE core_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s", updates
        )
    audit_seal()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [
        migrations.RunPython(drop_guards, restore_guards),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="序号"),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
