"""Who may do what on the signed-in side: the table every page and action is checked against.

Pure: no database, no web. A refused action is a 403 page, never only a hidden button.
"""

from __future__ import annotations

ROLES = ("coordinator", "partnership", "auditor", "admin")

# Each action a signed-in page offers, and the roles that may take it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard.view": frozenset({"coordinator", "auditor", "admin"}),
    "vacancy.view": frozenset({"coordinator", "partnership", "auditor", "admin"}),
    "vacancy.fire": frozenset({"coordinator"}),
    "vacancy.export": frozenset({"coordinator", "auditor"}),
    "appointment.view": frozenset({"coordinator", "partnership", "auditor", "admin"}),
    "appointment.fire": frozenset({"coordinator"}),
    "request.create": frozenset({"partnership", "coordinator"}),
    "request.list": frozenset({"partnership", "coordinator", "auditor"}),
    "audit.view": frozenset({"auditor", "coordinator", "admin"}),
    "audit.verify": frozenset({"auditor", "coordinator", "admin"}),
    "audit.export": frozenset({"auditor", "coordinator"}),
    "equality.view": frozenset({"auditor", "coordinator"}),
    "costs.view": frozenset({"coordinator", "auditor", "admin"}),
    "users.manage": frozenset({"admin"}),
    "protocols.view": frozenset({"admin", "coordinator", "auditor"}),
}

# What a role is for, shown on the accounts page.
ROLE_PURPOSE = {
    "coordinator": "runs the network's calls, elections and appointments",
    "partnership": "requests seats for one partnership and follows them",
    "auditor": "reads everything, including the audit trail, and changes nothing",
    "admin": "manages accounts and protocols",
}


class UnknownActionError(KeyError):
    """A page asked about an action the table does not list: a programming error, not a refusal."""


def may(role: str, action: str) -> bool:
    """Whether `role` may take `action`; an action missing from the table is an error."""
    if action not in PERMISSIONS:
        raise UnknownActionError(action)
    return role in PERMISSIONS[action]


def actions_for(role: str) -> list[str]:
    """Every action the role may take, in the table's order."""
    return [action for action, roles in PERMISSIONS.items() if role in roles]
