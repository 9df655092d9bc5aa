"""三会一课's usual rules as the starting requirements: the member assembly once a quarter, the
branch committee once a month, the Party group meeting once a month in every group, a Party
lecture once a quarter. The administrator changes them on the requirements page."""

from django.db import migrations

DEFAULTS = [
    # kind, times, every, per group, may be met together with another meeting, order
    ("assembly", 1, "quarter", False, True, 1),
    ("committee", 1, "month", False, False, 2),
    ("group", 1, "month", True, True, 3),
    ("lecture", 1, "quarter", False, True, 4),
]


def create(apps, schema_editor):
    MeetingRule = apps.get_model("study", "MeetingRule")
    for kind, times, every, per_group, may_combine, order in DEFAULTS:
        MeetingRule.objects.get_or_create(
            kind=kind,
            defaults={
                "times": times,
                "every": every,
                "per_group": per_group,
                "may_combine": may_combine,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("study", "0009_meeting_rules")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
