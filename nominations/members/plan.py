"""What importing a file would do to a roll: which rows add, update or leave a member as it is.

A row is matched by external id, else by voting contact email (case-insensitive). Members the
file does not mention are left alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from nominations.members.record import Member, MemberRow, RowProblem, other_lines


@dataclass(frozen=True)
class Enrolled:
    """A member already on the roll, with its database id."""

    id: int
    member: Member


@dataclass
class Plan:
    added: list[Member] = field(default_factory=list)  # in file order
    updated: list[tuple[Enrolled, Member]] = field(default_factory=list)  # (as it is, as it will be)
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class _Roll:
    def __init__(self, roll: list[Enrolled]) -> None:
        self.by_external = {e.member.external_id: e for e in roll if e.member.external_id}
        self.by_email: dict[str, list[Enrolled]] = defaultdict(list)
        for enrolled in roll:
            self.by_email[enrolled.member.contact_email.casefold()].append(enrolled)

    def match(self, row: MemberRow) -> tuple[Enrolled | None, str | None]:
        """The member this row updates (None: a new member), or why it cannot be matched."""
        if row.external_id and row.external_id in self.by_external:
            return self.by_external[row.external_id], None
        owners = self.by_email.get(row.contact_email.casefold(), [])
        if len(owners) > 1:
            ids = ", ".join(str(o.id) for o in owners)
            return None, f"voting contact email {row.contact_email} matches several members (ids {ids})"
        if not owners:
            return None, None
        owner = owners[0]
        if row.external_id and owner.member.external_id:
            return None, (
                f"voting contact email {row.contact_email} belongs to the member with external id "
                f"{owner.member.external_id}, not {row.external_id}"
            )
        return owner, None


Targets = dict[int, Enrolled | None]  # line of a good row: the member it updates, or None (new)


def _email_clashes(rows: dict[int, MemberRow], targets: Targets, roll: _Roll) -> dict[int, str]:
    """Rows whose new email another member keeps: that member is not given a new one by the file."""
    moving = {
        target.id
        for line, target in targets.items()
        if target is not None
        and target.member.contact_email.casefold() != rows[line].contact_email.casefold()
    }
    clashes: dict[int, str] = {}
    for line, target in targets.items():
        email = rows[line].contact_email
        for owner in roll.by_email.get(email.casefold(), []):
            if (target is None or owner.id != target.id) and owner.id not in moving:
                clashes[line] = (
                    f"voting contact email {email} is already that of another member, "
                    f"{owner.member.name!r}, which keeps it"
                )
    return clashes


def plan_import(rows: list[MemberRow], enrolled: list[Enrolled]) -> Plan:
    """Match each good row to the roll; rows that cannot be applied safely become problems."""
    roll = _Roll(enrolled)
    by_line = {row.line: row for row in rows}
    plan = Plan()
    targets: Targets = {}
    claims: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        target, problem = roll.match(row)
        if problem is not None:
            plan.problems.append(RowProblem(row.line, problem))
            continue
        targets[row.line] = target
        if target is not None:
            claims[target.id].append(row.line)
    for lines in (found for found in claims.values() if len(found) > 1):
        for line in lines:
            where = other_lines(lines, line)
            plan.problems.append(RowProblem(line, f"matches the same member of the roll as {where}"))
            del targets[line]
    # Dropping a row can strand an email another row expected to take over: repeat until stable.
    while clashes := _email_clashes(by_line, targets, roll):
        for line, message in clashes.items():
            plan.problems.append(RowProblem(line, message))
            del targets[line]
    for line, target in targets.items():
        member = by_line[line].apply_to(target.member if target else None)
        if target is None:
            plan.added.append(member)
        elif member == target.member:
            plan.unchanged += 1
        else:
            plan.updated.append((target, member))
    plan.problems.sort(key=lambda p: p.line)
    return plan
