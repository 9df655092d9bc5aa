from django.db import migrations


def load_default_rubric(apps, schema_editor):
    from assessment.default_rubric import DEFAULT_RUBRIC, DEFAULT_RUBRIC_NAME

    Rubric = apps.get_model("assessment", "Rubric")
    RubricArea = apps.get_model("assessment", "RubricArea")
    RubricItem = apps.get_model("assessment", "RubricItem")
    if Rubric.objects.filter(name=DEFAULT_RUBRIC_NAME).exists():
        return
    rubric = Rubric.objects.create(name=DEFAULT_RUBRIC_NAME, description="7 个方面 18 项内容，满分 100 分。")
    position = 0
    for area_position, (area_code, area_name, items) in enumerate(DEFAULT_RUBRIC):
        area = RubricArea.objects.create(rubric=rubric, code=area_code, name=area_name, position=area_position)
        for code, name, maximum, guidance in items:
            RubricItem.objects.create(
                rubric=rubric, area=area, code=code, name=name, max_score=maximum, guidance=guidance, position=position
            )
            position += 1


def remove_default_rubric(apps, schema_editor):
    from assessment.default_rubric import DEFAULT_RUBRIC_NAME

    apps.get_model("assessment", "Rubric").objects.filter(name=DEFAULT_RUBRIC_NAME, periods__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load_default_rubric, remove_default_rubric)]
