from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# What reviewers may do in admin. Nobody gets delete_*: evidence is kept.
REVIEWER_PERMISSIONS = {
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
}


def ensure_groups(sender, apps=None, using="default", **kwargs):
    """Put the three roles and the reviewers' permissions in place after every migrate.

    The only place they are made: post_migrate runs after the permissions exist, on a
    new database, after each upgrade, and after a test flush empties the tables.
    """
    if apps is None:  # a test flush sends the signal without the migration state
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ("agents", "editors"):
        Group.objects.using(using).get_or_create(name=name)
    reviewers, _created = Group.objects.using(using).get_or_create(name="reviewers")
    for app_label, codenames in REVIEWER_PERMISSIONS.items():
        reviewers.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Real-name verification")

    def ready(self):
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="compliance-groups")
