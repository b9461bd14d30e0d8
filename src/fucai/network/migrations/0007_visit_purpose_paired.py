"""Field visits: the purpose 结对帮扶 (paired help), a Party cadre's visit to the station paired
with them (吉安 paired 433 cadres one to one with 商超 stations). Only the choices change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0006_partners'),
    ]

    operations = [
        migrations.AlterField(
            model_name='fieldvisit',
            name='purpose',
            field=models.CharField(choices=[('routine', 'Routine visit'), ('sales_advice', 'Sales advice'), ('onboarding', 'Onboarding (四帮)'), ('inspection', 'Inspection'), ('complaint', 'Complaint or problem'), ('party', 'Party building'), ('paired', 'Paired help (结对帮扶)')], default='routine', max_length=16, verbose_name='purpose'),
        ),
    ]
