"""The portal's roles: the groups staff and agents belong to."""

AGENTS = "agents"
REVIEWERS = "reviewers"
EDITORS = "editors"
SALES = "sales"


def is_agent(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=AGENTS).exists()


def is_reviewer(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or (user.is_staff and user.groups.filter(name=REVIEWERS).exists())
    )
