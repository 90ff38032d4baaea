"""Undo the text "edits" that were only a form saved untouched.

Until this version, saving an article or page in the admin without touching
its body, lead or leftover text recorded that field as a staff edit (the
browser sends line breaks back as CRLF) and wrote a history entry whose old
and new text were the same. Re-import then kept the old parse of that text
forever. Here, for every such field whose every recorded change is one of
those no-ops, the field is dropped from ``edited_fields``, the text goes back
to exactly what it was before the first no-op save, and the no-op entries
leave the history (a record left with no change is deleted).

A field is left alone whenever the evidence is incomplete: a real change in
any record, a value cut short in the history, or no record at all (e.g. an
article staff created). Nothing anyone really edited is touched.
"""

from django.db import migrations

# History keeps long values cut with this mark; a cut value proves nothing.
CUT_MARK = "……（以下略）"
TEXT_FIELDS = {"article": ("body", "lead"), "page": ("leftover_text",)}


def as_submitted(text):
    # Kept here rather than imported: a migration must not change when the
    # admin's form code does.
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def is_noop(change):
    old, new = change.get("old", ""), change.get("new", "")
    if old.endswith(CUT_MARK) or new.endswith(CUT_MARK):
        return False
    return as_submitted(old) == as_submitted(new)


def forget_noop_edits(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeRecord = apps.get_model("articles", "ChangeRecord")
    IndexTask = apps.get_model("articles", "IndexTask")
    for model_name, fields in TEXT_FIELDS.items():
        model = apps.get_model("articles", model_name)
        content_type = ContentType.objects.filter(app_label="articles", model=model_name).first()
        if content_type is None:
            continue  # a fresh database: nothing was ever recorded
        candidates = model.objects.filter(pk__in=_ids_with_any(model, fields))
        for obj in candidates.only("pk", "edited_fields", *fields):
            records = list(
                ChangeRecord.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("created_at", "id")
            )
            restored = _repair(obj, fields, records)
            if restored and model_name == "article":
                # The search document was built from the CRLF copy.
                IndexTask.objects.create(article_id=obj.pk)


def _ids_with_any(model, fields):
    # JSON "contains" is not portable to SQLite; the edited lists are short.
    return [
        pk for pk, edited in model.objects.exclude(edited_fields=[]).values_list("pk", "edited_fields")
        if any(name in (edited or ()) for name in fields)
    ]


def _repair(obj, fields, records):
    edited = list(obj.edited_fields or [])
    update = []
    for name in fields:
        if name not in edited:
            continue
        entries = [c for r in records for c in r.changes if c.get("field") == name]
        if not entries or not all(is_noop(c) for c in entries):
            continue
        edited.remove(name)
        setattr(obj, name, entries[0].get("old", ""))
        update.append(name)
        for record in records:
            kept = [c for c in record.changes if c.get("field") != name]
            if len(kept) != len(record.changes):
                record.changes = kept
                record._dirty = True
    if not update:
        return False
    obj.edited_fields = edited
    obj.save(update_fields=["edited_fields", *update])
    for record in records:
        if getattr(record, "_dirty", False):
            if record.changes or record.action != "change":
                record.save(update_fields=["changes"])
            else:
                record.delete()
    return True


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_change_record"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forget_noop_edits, migrations.RunPython.noop),
    ]
