"""The daily reminder run's schedule entry is named in Chinese: administrators read it in the
admin's periodic tasks (每日提醒, not "Daily reminders")."""

from django.db import migrations

OLD, NEW = "Daily reminders", "每日提醒"


def rename(apps, schema_editor, old=OLD, new=NEW):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Leave it alone where someone already has a task of the new name.
    if not PeriodicTask.objects.filter(name=new).exists():
        PeriodicTask.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0004_chinese_labels"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
