from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def apply_roles(sender, apps=None, using="default", **kwargs):
    """Make every group of ``accounts.roles`` and give it exactly its permissions.

    Django sends post_migrate once per app, and makes each app's permissions in its
    own turn; this runs in the last app's turn, when every permission exists: after
    each ``migrate`` (new database or upgrade) and after a test flush empties the tables.
    """
    from accounts.roles import PERMISSIONS

    if apps is None:  # a flush sends the signal without the migration state
        from django.apps import apps
    from django.apps import apps as global_apps

    last = [config for config in global_apps.get_app_configs() if config.models_module][-1]
    if sender.label != last.label:
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, wanted in PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([permissions[key] for key in sorted(wanted) if key in permissions])


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.apps import apps

        from accounts import sessions
        from accounts.validators import attach_to_model_fields

        post_migrate.connect(apply_roles, dispatch_uid="accounts-roles")
        user_logged_in.connect(sessions.start, dispatch_uid="accounts-short-sessions")
        attach_to_model_fields(apps.get_app_configs())
