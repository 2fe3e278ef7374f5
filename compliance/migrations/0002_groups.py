from django.contrib.auth.management import create_permissions
from django.db import migrations

# What reviewers may do with verification data in admin. Nobody gets delete_*:
# evidence is kept (the admin refuses it too).
REVIEWER_PERMISSIONS = [
    "view_agent",
    "view_subscriber",
    "change_subscriber",
    "reveal_id_number",
    "view_holding",
    "add_holding",
    "view_document",
    "change_document",
    "view_documentreview",
    "view_documentaccess",
    "view_idnumberreveal",
    "view_subscriberstatuschange",
    "view_campaign",
    "add_campaign",
    "change_campaign",
    "view_complaint",
    "add_complaint",
    "view_suspension",
    "change_suspension",
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; reviewers need them now.
    for label in ("compliance", "numbers"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # get_or_create: the orders migrations create "agents" too.
    Group.objects.get_or_create(name="agents")
    Group.objects.get_or_create(name="editors")
    reviewers, _ = Group.objects.get_or_create(name="reviewers")
    reviewers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="compliance", codename__in=REVIEWER_PERMISSIONS
        ),
        # To pick the numbers a subscriber holds, and those a complaint is about.
        *Permission.objects.filter(content_type__app_label="numbers", codename="view_number"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("compliance", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
