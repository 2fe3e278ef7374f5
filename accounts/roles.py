"""The staff and partner roles: each group's name and exactly the permissions it holds.

This is the one place a role is defined. The groups are made (and put back to exactly
these permissions) by the post_migrate hook in ``accounts/apps.py``; everything else
imports the names from here instead of spelling them.

``accounts`` is the project's base layer, below ``offices``, ``numbers``, ``news`` and
``compliance``: any app may import it, and it imports none of them. That is why the
permissions are data ("app_label.codename" strings), not model references.
"""

AGENTS = "agents"
REVIEWERS = "reviewers"
EDITORS = "editors"
SALES = "sales"

# What each group may do, as "app_label.codename". Nobody gets compliance's delete_*:
# evidence is kept.
PERMISSIONS: dict[str, frozenset[str]] = {
    # Agents work in the portal (their subscribers and documents), not in admin.
    AGENTS: frozenset(),
    # Real-name verification in admin.
    REVIEWERS: frozenset(
        {
            "compliance.view_agent",
            "compliance.view_subscriber",
            "compliance.change_subscriber",
            "compliance.reveal_id_number",
            "compliance.view_holding",
            "compliance.add_holding",
            "compliance.view_document",
            "compliance.change_document",
            "compliance.view_documentreview",
            "compliance.view_documentaccess",
            "compliance.view_idnumberreveal",
            "compliance.view_subscriberstatuschange",
            "compliance.view_subscriberchange",
            "compliance.view_campaign",
            "compliance.add_campaign",
            "compliance.change_campaign",
            "compliance.view_complaint",
            "compliance.add_complaint",
            "compliance.view_suspension",
            "compliance.change_suspension",
            # To pick the numbers a subscriber holds, and those a complaint is about.
            "numbers.view_number",
        }
    ),
    # Articles with their attachments, and the office directory: no deleting articles,
    # no editing categories, no adding or deleting offices.
    EDITORS: frozenset(
        {
            "news.view_article",
            "news.add_article",
            "news.change_article",
            "news.publish_article",
            "news.pin_article",
            "news.preview_article",
            "news.view_attachment",
            "news.add_attachment",
            "news.change_attachment",
            "news.delete_attachment",
            "news.view_category",
            "offices.view_office",
            "offices.change_office",
        }
    ),
    # Orders from first call to service, call-backs, and the catalogue's prices and plans
    # (the import needs add_number). Agents are made and stopped here too. Putting an
    # order in service before verification (numbers.activate_unverified) is no role's.
    # Most mail is about orders, so sales watches the outbox and sends failed mails again
    # (change is what the "send again" action asks; every field stays read-only).
    SALES: frozenset(
        {
            "numbers.view_order",
            "numbers.change_order",
            "numbers.view_orderevent",
            "numbers.view_callbackrequest",
            "numbers.change_callbackrequest",
            "numbers.view_number",
            "numbers.add_number",
            "numbers.change_number",
            "numbers.view_plan",
            "numbers.view_prefix",
            "offices.view_office",
            "compliance.view_agent",
            "compliance.add_agent",
            "compliance.change_agent",
            "compliance.view_subscriber",
            "outbox.view_outgoingmail",
            "outbox.change_outgoingmail",
        }
    ),
}

ROLES = tuple(PERMISSIONS)


def in_group(user, name: str) -> bool:
    return user.is_authenticated and user.groups.filter(name=name).exists()


def is_agent(user) -> bool:
    return in_group(user, AGENTS)


def is_reviewer(user) -> bool:
    """Reviewers work in admin, so the group counts only with staff status; superusers too."""
    return user.is_authenticated and (
        user.is_superuser or (user.is_staff and in_group(user, REVIEWERS))
    )
