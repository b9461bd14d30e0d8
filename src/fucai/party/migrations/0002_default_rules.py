"""The province's default compliance rules (fucai.party.compliance.DEFAULT_RULES): rules are
data, so a province may tighten them and a branch may have its own."""

from django.db import migrations

REGULATIONS = "《中国共产党支部工作条例（试行）》"
RULES = (
    ("member_assembly", "quarter", 1, f"{REGULATIONS}第十一条：一般每季度召开1次"),
    ("committee", "month", 1, f"{REGULATIONS}第十二条：一般每月召开1次"),
    ("group", "month", 1, f"{REGULATIONS}第十三条：一般每月召开1次"),
    ("lecture", "quarter", 1, "本省规定：每季度至少1次（党课频次由各地确定）"),
    ("theme_day", "month", 1, "主题党日：每月1次"),
)


def add_rules(apps, schema_editor):
    rule = apps.get_model("party", "ComplianceRule")
    for kind, period, required, source in RULES:
        rule.objects.get_or_create(
            meeting_type=kind,
            branch=None,
            defaults={"period": period, "required": required, "source": source},
        )


def remove_rules(apps, schema_editor):
    apps.get_model("party", "ComplianceRule").objects.filter(branch=None).delete()


class Migration(migrations.Migration):
    dependencies = [("party", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
