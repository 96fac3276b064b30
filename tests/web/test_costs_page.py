"""The costs page over HTTP: totals per partnership and per funder, filters, CSV, and no names."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest

from nominations.actors import Actor
from nominations.services.costs import CostInput, record_cost
from tests.utils.console import sign_in_as
from tests.utils.seats import add_partnership, add_seat
from tests.web.conftest import Site

ME = Actor("coordinator", "c1")


def table(page: str, heading: str) -> list[list[str]]:
    """The cells of the table under the heading, row by row, as a person reads them."""
    section = page.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    return [
        [html.unescape(c.strip()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows
    ]


@pytest.fixture
def costed(site: Site) -> Site:
    """Alice's seat on the Safer Town Partnership and Bob's on the Health Board, with their costs."""
    world = site.world
    db, clock = world.app.db, world.clock
    safer, alice = add_seat(db, world.partnership_id, "Alice Able")
    _, bob = add_seat(db, add_partnership(db, world.network_id, "Health Board"), "Bob Baker")
    for kind, amount, funder, on, vacancy, appointment, person in [
        ("coordinator_time", 95, "Safer Town Council", date(2025, 5, 1), safer, None, "Alice Able"),
        (
            "expense",
            125050,
            "<b>Police</b> & Crime Commissioner",
            date(2025, 6, 1),
            None,
            alice,
            "Alice Able",
        ),
        ("coordinator_time", 15, "Safer Town Council", date(2026, 1, 10), None, bob, "Bob Baker"),
        ("expense", 299, '=HYPERLINK("http://x")', date(2026, 2, 1), None, bob, "Bob Baker"),
    ]:
        measure = {"minutes": amount} if kind == "coordinator_time" else {"amount_pence": amount}
        cost = CostInput(
            kind,
            funder,
            on,
            vacancy_id=vacancy,
            appointment_id=appointment,
            description=f"Travel for {person}",
            **measure,  # type: ignore[arg-type]
        )
        record_cost(db, clock, cost, ME)
    sign_in_as(site, "coordinator")
    return site


def test_the_page_shows_totals_per_partnership_and_per_funder(costed: Site) -> None:
    page = costed.browser.get("/costs")
    assert page.status_code == 200
    assert table(page.text, "By partnership") == [
        ["Network", "Partnership", "Entries", "Coordinator minutes", "Coordinator hours", "Expenses paid"],
        ["Test Network", "Health Board", "2", "15", "0.3", "£2.99"],
        ["Test Network", "Safer Town Partnership", "2", "95", "1.6", "£1,250.50"],
        ["Total", "4", "110", "1.8", "£1,253.49"],
    ]
    assert table(page.text, "By funder") == [
        ["Funder", "Entries", "Coordinator minutes", "Coordinator hours", "Expenses paid"],
        ["<b>Police</b> & Crime Commissioner", "1", "0", "0.0", "£1,250.50"],
        ['=HYPERLINK("http://x")', "1", "0", "0.0", "£2.99"],
        ["Safer Town Council", "2", "110", "1.8", "£0.00"],
        ["Total", "4", "110", "1.8", "£1,253.49"],
    ]
    assert "<b>Police</b>" not in page.text  # escaped, not markup
    # Aggregates only: neither the people in the seats nor the descriptions that name them.
    for personal in ("Alice", "Bob", "example.org", "Travel for"):
        assert personal not in page.text


def test_the_page_can_be_limited_to_dates(costed: Site) -> None:
    page = costed.browser.get("/costs", params={"from": "2026-01-01", "to": "2026-01-31"})
    assert page.status_code == 200
    assert table(page.text, "By funder")[1:] == [
        ["Safer Town Council", "1", "15", "0.3", "£0.00"],
        ["Total", "1", "15", "0.3", "£0.00"],
    ]
    assert 'name="from" value="2026-01-01"' in page.text  # the form keeps what was asked
    assert 'href="/costs.csv?from=2026-01-01&amp;to=2026-01-31&amp;by=funder"' in page.text
    empty = costed.browser.get("/costs", params={"from": "2027-01-01"})
    assert empty.text.count("No costs were recorded for these dates.") == 2


def test_the_csv_has_the_same_totals_and_runs_no_formulas(costed: Site) -> None:
    response = costed.browser.get(
        "/costs.csv", params={"by": "funder", "network": str(costed.world.network_id)}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="costs-by-funder.csv"'
    assert list(csv.reader(io.StringIO(response.text))) == [
        ["funder", "entries", "minutes", "hours", "pence", "pounds"],
        ["<b>Police</b> & Crime Commissioner", "1", "0", "0.0", "125050", "1250.50"],
        ['\'=HYPERLINK("http://x")', "1", "0", "0.0", "299", "2.99"],
        ["Safer Town Council", "2", "110", "1.8", "0", "0.00"],
    ]
    by_partnership = costed.browser.get("/costs.csv")
    assert by_partnership.text.splitlines()[0] == "network,partnership,entries,minutes,hours,pence,pounds"
    assert "Alice" not in by_partnership.text + response.text


@pytest.mark.parametrize(
    "path, params, message",
    [
        ("/costs", {"from": "yesterday"}, "The from date 'yesterday' is not a date like 2026-03-31."),
        ("/costs", {"from": "2026-02-01", "to": "2026-01-01"}, "the report would start on 2026-02-01"),
        ("/costs", {"network": "one"}, "The network 'one' is not a network's number."),
        ("/costs", {"network": "99"}, "You may see the costs of your own network only, not network 99."),
        ("/costs.csv", {"to": "31/01/2026"}, "The to date '31/01/2026' is not a date like 2026-03-31."),
        ("/costs.csv", {"by": "person"}, "a report is by partnership or by funder, not by 'person'"),
    ],
)
def test_a_report_that_cannot_be_made_says_why(
    costed: Site, path: str, params: dict[str, str], message: str
) -> None:
    page = costed.browser.get(path, params=params)
    assert page.status_code == 400
    assert "That report cannot be made" in page.text
    assert message in html.unescape(page.text)


def test_the_costs_need_a_signed_in_role_that_may_see_them(costed: Site) -> None:
    costed.browser.cookies.clear()
    assert "<h1>Sign in</h1>" in costed.browser.get("/costs").text
    sign_in_as(costed, "partnership", partnership_id=costed.world.partnership_id)
    assert costed.browser.get("/costs").status_code == 403
    assert costed.browser.get("/costs.csv").status_code == 403
