"""A partnership's meeting schedule as an iCalendar file that Outlook and Google Calendar open.

Every meeting keeps its UID for life and its SEQUENCE rises with each change, so a calendar
that imports an updated file moves or cancels the copy it already holds instead of adding one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

PRODID = "-//nominations//partnership meetings//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    sequence: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""
    cancelled: bool = False


def meeting_calendar(entries: Iterable[CalendarEntry], *, name: str, stamp: datetime) -> str:
    """The entries as one VCALENDAR (METHOD:PUBLISH), with times in UTC; CRLF line ends."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        if entry.ends_at <= entry.starts_at:
            raise ValueError(f"meeting {entry.uid} ends before it starts")
        event = Event()
        event.add("uid", entry.uid)
        event.add("sequence", entry.sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.ends_at)
        event.add("summary", entry.title)
        if entry.location:
            event.add("location", entry.location)
        if entry.description:
            event.add("description", entry.description)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")


def calendar_attachment(text: str, filename: str = "meetings.ics") -> dict[str, str]:
    """The outbox's form of an attachment: a text/calendar part with its method."""
    return {"filename": filename, "content_type": "text/calendar", "method": "PUBLISH", "text": text}
