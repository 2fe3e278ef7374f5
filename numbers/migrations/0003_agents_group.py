from django.db import migrations


def create_agents_group(apps, schema_editor):
    # get_or_create: other apps' migrations may create the same group.
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="agents")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("numbers", "0002_orders"),
    ]

    operations = [migrations.RunPython(create_agents_group, migrations.RunPython.noop)]
