"""Stored scheme documents written before `elimination.grade|pay|quotas` and `partial_period`
were required get them, so that they still validate (docs/evaluation.md, "A period evaluated
before its end", "Elimination and the grades"). The values added keep what those schemes did at
the period's end as far as it can be said: no count scaled (`partial_period.indicators: []`),
the eliminated graded the lowest band, paid the floor when there is a pay rule (else `none`),
the quotas counted among all. The document is rewritten as YAML (its comments are lost); a run
frozen before keeps its stored result."""

from django.db import migrations


def upgrade(data: dict) -> dict:
    """The document with the settings it lacks (a dict parsed from YAML or JSON)."""
    data = dict(data)
    data.setdefault("partial_period", {"counts": "scale_goalposts", "indicators": []})
    elimination = data.get("elimination")
    if isinstance(elimination, dict):
        elimination = dict(elimination)
        grades = data.get("grades") or {}
        bands = grades.get("bands") or [{}]
        elimination.setdefault("grade", bands[-1].get("name", ""))
        elimination.setdefault("pay", "floor" if data.get("pay") else "none")
        elimination.setdefault("quotas", "among_all" if grades.get("by") == "quotas" else None)
        data["elimination"] = elimination
    return data


def forwards(apps, schema_editor):
    import yaml

    Scheme = apps.get_model("evaluation", "EvaluationScheme")
    for row in Scheme.objects.all():
        try:
            data = yaml.safe_load(row.document)  # JSON is YAML too
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict):
            continue
        new = upgrade(data)
        if new != data:
            row.document = yaml.safe_dump(new, allow_unicode=True, sort_keys=False)
            row.save(update_fields=["document"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_merge_inputs_runs")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
