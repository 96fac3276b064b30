"""A member as the roll holds it, and a row of a file that says what some of it should become."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from nominations.members.cells import Contact


@dataclass(frozen=True)
class Member:
    """Everything the members file carries about one member organisation."""

    name: str
    contact_email: str
    contact_name: str = ""
    status: str = "active"
    external_id: str | None = None
    interest_areas: tuple[str, ...] = ()
    equality_sectors: tuple[str, ...] = ()
    other_contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class MemberRow:
    """One good row of a file. None means "the file does not say": the roll keeps what it has."""

    line: int
    name: str
    contact_email: str
    contact_name: str | None = None
    status: str | None = None
    external_id: str | None = None
    interest_areas: tuple[str, ...] | None = None
    equality_sectors: tuple[str, ...] | None = None
    other_contacts: tuple[Contact, ...] | None = None

    def apply_to(self, base: Member | None) -> Member:
        """The member this row describes: `base` (or a new member) with what the row says."""
        given = {f.name: getattr(self, f.name) for f in fields(Member) if getattr(self, f.name) is not None}
        return replace(base, **given) if base is not None else Member(**given)


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with the row that starts on `line` of the file (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def other_lines(lines: list[int], line: int) -> str:
    """ "line 7" or "lines 7, 9": the lines of `lines` other than `line`."""
    others = [str(other) for other in lines if other != line]
    return f"line{'s' if len(others) > 1 else ''} {', '.join(others)}"
