"""Equality monitoring figures as they may be shown: in aggregate, with small numbers suppressed. Pure."""

from __future__ import annotations

from dataclasses import dataclass

# Counts from 1 to SMALL - 1 could point to one organisation, so they are never shown.
SMALL = 5
SUPPRESSED = f"fewer than {SMALL}"
NO_BALLOTS = "no ballots"


def shown(count: int) -> str:
    """The count as it may be published: 0, or 5 and over; anything between is suppressed."""
    return SUPPRESSED if 0 < count < SMALL else str(count)


def is_suppressed(count: int) -> bool:
    return 0 < count < SMALL


@dataclass(frozen=True)
class SectorFigures:
    """One equality sector's figures, counted in full; only `cells` is fit to show."""

    key: str
    label: str
    organisations: int  # active members tagged with the sector
    seats_asked: int  # seats requested with the sector as their focus
    nominations: int  # made by organisations tagged with it
    elected: int  # nominees of tagged organisations elected or appointed (not substitutes)
    ballot_places: int  # places of tagged organisations on the rolls of counted ballots
    votes_cast: int  # how many of those places voted (the who-voted register)

    def turnout(self) -> str:
        """Votes cast as a share of places; suppressed when either number is, so it cannot be undone."""
        if self.ballot_places == 0:
            return NO_BALLOTS
        if is_suppressed(self.ballot_places) or is_suppressed(self.votes_cast):
            return SUPPRESSED
        return f"{round(100 * self.votes_cast / self.ballot_places)}%"

    def cells(self) -> list[str]:
        """The row as it may be shown, in the order of COLUMNS."""
        counts = (self.organisations, self.seats_asked, self.nominations, self.elected)
        return [*map(shown, (*counts, self.ballot_places, self.votes_cast)), self.turnout()]


COLUMNS = [
    "Member organisations",
    "Seats asked with this focus",
    "Nominations made",
    "Elected or appointed",
    "Places on ballot rolls",
    "Votes cast",
    "Turnout",
]
