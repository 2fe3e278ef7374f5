from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Each role's admin permissions, exactly: the hook below sets them, so a permission
# granted by hand is taken back at the next migrate. The table is in docs/roles.md.
# Nobody but the superuser deletes anything, or touches users, groups, prefixes and plans.
ROLE_PERMISSIONS = {
    # Back office of the agents' portal: no admin rights at all.
    "agents": {},
    # News, notices and the office directory.
    "editors": {
        "news": [
            "view_article",
            "add_article",
            "change_article",
            "publish_article",
            "pin_article",
            "preview_article",
            "view_attachment",
            "add_attachment",
            "change_attachment",
            "delete_attachment",
            "view_category",
        ],
        "offices": ["view_office", "change_office"],
    },
    # Real-name verification. No delete_*: evidence is kept.
    "reviewers": {
        "compliance": [
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
            "view_subscriberchange",
            "view_campaign",
            "add_campaign",
            "change_campaign",
            "view_complaint",
            "add_complaint",
            "view_suspension",
            "change_suspension",
        ],
        # To pick the numbers a subscriber holds, and those a complaint is about.
        "numbers": ["view_number"],
    },
    # Orders from first call to service, call-backs, and the catalogue's prices and plans
    # (import included: the import needs add_number). Agents are made and stopped here too.
    "sales": {
        "numbers": [
            "view_order",
            "change_order",
            "view_orderevent",
            "view_callbackrequest",
            "change_callbackrequest",
            "view_number",
            "add_number",
            "change_number",
            "view_plan",
            "view_prefix",
        ],
        "offices": ["view_office"],
        "compliance": ["view_agent", "add_agent", "change_agent", "view_subscriber"],
    },
}


def ensure_groups(sender, apps=None, using="default", **kwargs):
    """Put the roles and exactly their permissions in place after every migrate.

    The only place they are made: post_migrate runs after the permissions exist, on a
    new database, after each upgrade, and after a test flush empties the tables.
    """
    if apps is None:  # a test flush sends the signal without the migration state
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted = Permission.objects.none()
        for app_label, codenames in grants.items():
            wanted |= Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Real-name verification")

    def ready(self):
        from compliance.services import order_verification_blocker
        from numbers.services import activation_check_register

        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="compliance-groups")
        # Real-name verification gates service: no order goes live before it.
        activation_check_register(order_verification_blocker)
