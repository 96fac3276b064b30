"""The members CSV format, without a database: reading, every bad row's message, and matching a roll."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from nominations.members import csvformat
from nominations.members.cells import Contact, is_email, read_contacts, read_sectors
from nominations.members.columns import FIELDS, MembersFileError, parse_mapping
from nominations.members.plan import Enrolled, plan_import
from nominations.members.record import Member, MemberRow

FIXTURES = Path(__file__).parent.parent / "fixtures" / "members"
HEADER = ",".join(FIELDS)
SECTORS = "(allowed: women, bme, disabled, lgbt, faith, older, younger)"


def parse(text: str, *maps: str) -> csvformat.ParsedFile:
    return csvformat.parse(text, parse_mapping(maps), "members.csv")


def fixture(name: str) -> str:
    return csvformat.decode((FIXTURES / name).read_bytes(), name)


def problems(parsed: csvformat.ParsedFile) -> list[str]:
    return [str(p) for p in parsed.problems]


# Reading good rows


def test_good_file_reads_every_field() -> None:
    parsed = parse(fixture("good.csv"))
    assert parsed.problems == [] and parsed.total == 5 and parsed.ignored_columns == []
    first, wa, cafe, _tdf, youth = parsed.rows
    assert first == MemberRow(
        line=2, name="Age Concern Town", contact_email="ann@ageconcern.example", contact_name="Ann Able",
        status="active", external_id="1100001", interest_areas=("older people", "health"),
        equality_sectors=("older",),
        other_contacts=(
            Contact("Bob Baker", "bob@ageconcern.example"), Contact("", "carol@ageconcern.example")
        ),
    )  # fmt: skip
    assert (wa.status, wa.external_id, wa.equality_sectors) == ("lapsed", None, ("women", "disabled"))
    assert (cafe.name, cafe.contact_name, cafe.equality_sectors) == (
        "Café Commun, Town",
        "Zoë Ünal",
        ("bme", "faith"),
    )
    assert youth.status is None and youth.interest_areas == ()  # blank status: keep, or active when new


def test_sectors_accept_keys_and_display_names_in_any_case_in_one_order() -> None:
    assert read_sectors("Disabled People; WOMEN; lgbt+ people; Faith") == (
        "women",
        "disabled",
        "lgbt",
        "faith",
    )
    assert read_sectors("") == ()


def test_contacts_accept_name_and_email_or_a_bare_email() -> None:
    assert read_contacts(" A. Person <a@x.org> ;b@y.org; ") == (
        Contact("A. Person", "a@x.org"),
        Contact("", "b@y.org"),
    )


@pytest.mark.parametrize("value", ["a@b.org", "first.last+tag@sub.example.co.uk", "zoë@café.example"])
def test_emails_that_pass(value: str) -> None:
    assert is_email(value)


@pytest.mark.parametrize(
    "value", ["", "a@b", "a b@c.org", "@c.org", "a@@c.org", "<a@c.org>", "a@c..org", "a@c.org."]
)
def test_emails_that_fail(value: str) -> None:
    assert not is_email(value)


def test_line_numbers_count_quoted_line_breaks_and_blank_lines() -> None:
    text = f'{HEADER}\n\n,"Two\nLine Trust",active,,two@x.org,,,\n,,,,,,,\n,Next,active,,next@x.org,,,\n'
    parsed = parse(text)
    assert [row.line for row in parsed.rows] == [3, 6] and parsed.total == 2
    assert parse(text.replace("next@x.org", "nope")).problems[0].line == 6


def test_a_byte_order_mark_and_crlf_line_ends_are_read() -> None:
    data = ("\ufeff" + fixture("good.csv").replace("\n", "\r\n")).encode()
    parsed = parse(csvformat.decode(data, "bom.csv"))
    assert parsed.problems == [] and parsed.rows == parse(fixture("good.csv")).rows


def test_map_renames_columns_and_unused_columns_are_listed() -> None:
    maps = ["Charity No=external_id", "organisation=name", "EMAIL=voting_contact_email", "Membership=status"]
    parsed = parse(fixture("crm.csv"), *maps)
    assert parsed.ignored_columns == ["Contact", "Phone"]
    assert [(r.external_id, r.name, r.contact_email, r.contact_name) for r in parsed.rows] == [
        ("1100001", "Age Concern Town", "ann@ageconcern.example", None),
        ("1100009", "Town Foodbank", "fay@foodbank.example", None),
    ]


def test_a_trailing_comma_in_the_header_is_not_reported_as_a_column() -> None:
    parsed = parse("name,voting_contact_email,\nA,a@x.org,\n")
    assert parsed.ignored_columns == [] and parsed.problems == [] and len(parsed.rows) == 1


# Every bad row, by line, with what is wrong


def test_bad_file_names_every_bad_row_by_line() -> None:
    parsed = parse(fixture("bad.csv"))
    assert problems(parsed) == [
        "line 3: no voting contact email",
        "line 4: voting contact email 'tom.typo.example' is not an email address",
        "line 5: voting contact email twin@twins.example is also on line 6",
        "line 6: voting contact email twin@twins.example is also on line 5",
        "line 7: external id 555 is also on line 8",
        "line 8: external id 555 is also on line 7",
        "line 9: unknown status 'closed' (allowed: active, lapsed, suspended)",
        f"line 10: unknown equality sector 'youth' {SECTORS}",
        "line 11: name is empty",
        "line 12: other contact 'Dan Dot dan@club.example' is not written as Name <email>",
    ]
    assert [row.line for row in parsed.rows] == [2] and parsed.total == 11


def test_a_row_with_several_problems_is_one_line_naming_them_all() -> None:
    parsed = parse(f"{HEADER}\n,,gone,,,x <y>,,martians\n,A,,,a@x.org,,,\n,B,,,a@x.org,,,\n,C,,,A@X.org,,,\n")
    assert problems(parsed) == [
        "line 2: name is empty; no voting contact email; unknown status 'gone' (allowed: active, lapsed, "
        "suspended); unknown equality sector 'martians' (allowed: women, bme, disabled, lgbt, faith, older, "
        "younger); other contact email 'y' is not an email address",
        "line 3: voting contact email a@x.org is also on lines 4, 5",
        "line 4: voting contact email a@x.org is also on lines 3, 5",
        "line 5: voting contact email a@x.org is also on lines 3, 4",
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Ann <ann@x.org>; ANN@x.org", "other contact ANN@x.org is listed twice"),
        ("Ann <ann@x.org", "other contact 'Ann <ann@x.org' is not written as Name <email>"),
        ("Ann <>", "other contact email '' is not an email address"),
    ],
)
def test_malformed_other_contacts(cell: str, message: str) -> None:
    assert problems(parse(f'{HEADER}\n,A,,,a@x.org,"{cell}",,\n')) == [f"line 2: {message}"]


def test_a_row_with_too_many_or_too_few_values_is_bad() -> None:
    parsed = parse(f"{HEADER}\n,A,active,,a@x.org,,,,extra\n,B,active\n")
    assert problems(parsed) == [
        "line 2: has 9 values but the header names 8 columns",
        "line 3: has 3 values but the header names 8 columns",
    ]


# Whole-file refusals, before any row is looked at


@pytest.mark.parametrize(
    ("maps", "message"),
    [
        (["Charity No=charity_number"], "--map 'Charity No=charity_number': 'charity_number' is not a field "
         f"(fields: {', '.join(FIELDS)})"),
        (["Charity No"], "--map 'Charity No' should be written column=field"),
        (["=name"], "--map '=name' should be written column=field"),
        (["Org=name", "ORG=name"], "--map names the column 'ORG' twice"),
    ],
)  # fmt: skip
def test_bad_map_options_are_refused(maps: list[str], message: str) -> None:
    with pytest.raises(MembersFileError) as caught:
        parse_mapping(maps)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "maps", "message"),
    [
        ("", [], "members.csv: the file is empty; its first line must name the columns"),
        ("name,email\n", [], "members.csv:1: no voting_contact_email column (its columns: name, email); "
         'name one with --map "Your column=voting_contact_email"'),
        ("Org,Email\n", [], "members.csv:1: no name or voting_contact_email column "
         '(its columns: Org, Email); name one with --map "Your column=name"'),
        ("name,voting_contact_email\n", ["Charity No=external_id"], "members.csv:1: --map names the column "
         "'Charity No', which the file does not have (its columns: name, voting_contact_email)"),
        ("name,Org,voting_contact_email\n", ["org=name"], "members.csv:1: the columns 'name' and 'Org' "
         "would both fill name"),
        ('name,voting_contact_email\nA,a@x.org\n"B,b@x.org\n', [], "members.csv:3: not valid CSV: "
         "unexpected end of data (is a quote left open?)"),
    ],
)  # fmt: skip
def test_unusable_files_are_refused(text: str, maps: list[str], message: str) -> None:
    with pytest.raises(MembersFileError) as caught:
        parse(text, *maps)
    assert str(caught.value) == message


def test_a_file_that_is_not_utf8_is_refused_naming_the_line() -> None:
    with pytest.raises(MembersFileError) as caught:
        fixture("latin1.csv")
    assert str(caught.value) == (
        'latin1.csv: not UTF-8 text (line 3 has the byte 0xE9); save it as "CSV UTF-8" and import it again'
    )


def test_progress_is_told_how_much_is_read() -> None:
    seen: list[tuple[int, int]] = []
    text = fixture("good.csv")
    csvformat.parse(text, {}, "good.csv", lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(text), len(text)) and all(total == len(text) for _, total in seen)


# Writing


def test_write_is_the_format_read_reads() -> None:
    members = [row.apply_to(None) for row in parse(fixture("good.csv")).rows]
    out = io.StringIO(newline="")
    assert csvformat.write(members, out) == 5
    lines = out.getvalue().split("\r\n")
    assert lines[0] == HEADER
    assert lines[1] == (
        "1100001,Age Concern Town,active,Ann Able,ann@ageconcern.example,"
        "Bob Baker <bob@ageconcern.example>; carol@ageconcern.example,older people; health,older"
    )
    assert [row.apply_to(None) for row in parse(out.getvalue()).rows] == members


# Matching a file with the roll


def enrolled(i: int, email: str, external_id: str | None = None, **kw: object) -> Enrolled:
    return Enrolled(i, Member(name=f"Org {i}", contact_email=email, external_id=external_id, **kw))  # type: ignore[arg-type]


def rows(text: str) -> list[MemberRow]:
    parsed = parse(f"{HEADER}\n{text}")
    assert parsed.problems == []
    return parsed.rows


def test_rows_match_by_external_id_then_by_email_in_any_case() -> None:
    roll = [enrolled(1, "a@x.org", "E1"), enrolled(2, "b@x.org"), enrolled(3, "c@x.org")]
    plan = plan_import(
        rows("E1,Org 1,,,new-a@x.org,,,\n,Org 2,,,B@X.ORG,,,\n,Org 3,,,c@x.org,,,\n,New,,,d@x.org,,,\n"), roll
    )
    assert [(e.id, after.contact_email) for e, after in plan.updated] == [(1, "new-a@x.org"), (2, "B@X.ORG")]
    assert plan.unchanged == 1 and [m.name for m in plan.added] == ["New"] and plan.problems == []


def test_what_the_file_does_not_say_is_kept() -> None:
    roll = [enrolled(1, "a@x.org", "E1", status="suspended", interest_areas=("housing",), contact_name="Al")]
    plan = plan_import(parse("name,voting_contact_email\nOrg 1,a@x.org\n").rows, roll)
    assert plan.unchanged == 1
    # A blank external id or status keeps the roll's; blank lists and names are what the file says.
    plan = plan_import(rows(",Org 1,,,a@x.org,,,\n"), roll)
    after = plan.updated[0][1]
    assert (after.external_id, after.status, after.interest_areas, after.contact_name) == (
        "E1",
        "suspended",
        (),
        "",
    )


def test_members_may_swap_emails_within_one_file() -> None:
    roll = [enrolled(1, "a@x.org", "E1"), enrolled(2, "b@x.org", "E2")]
    plan = plan_import(rows("E1,Org 1,,,b@x.org,,,\nE2,Org 2,,,a@x.org,,,\n"), roll)
    assert plan.problems == [] and len(plan.updated) == 2


def test_taking_an_email_a_member_keeps_is_a_problem_and_so_is_what_depended_on_it() -> None:
    roll = [enrolled(1, "a@x.org", "E1"), enrolled(2, "b@x.org", "E2"), enrolled(3, "c@x.org", "E3")]
    # Line 2 takes c@ from member 3, which keeps it; line 3 then cannot take a@ from member 1.
    plan = plan_import(rows("E1,Org 1,,,c@x.org,,,\nE2,Org 2,,,a@x.org,,,\n"), roll)
    assert [str(p) for p in plan.problems] == [
        "line 2: voting contact email c@x.org is already that of another member, 'Org 3', which keeps it",
        "line 3: voting contact email a@x.org is already that of another member, 'Org 1', which keeps it",
    ]
    assert plan.updated == [] and plan.added == []


def test_an_email_whose_member_has_another_external_id_is_a_problem() -> None:
    plan = plan_import(rows("E9,Org 1,,,a@x.org,,,\n"), [enrolled(1, "a@x.org", "E1")])
    assert [str(p) for p in plan.problems] == [
        "line 2: voting contact email a@x.org belongs to the member with external id E1, not E9"
    ]


def test_two_rows_that_match_one_member_are_both_problems() -> None:
    plan = plan_import(rows("E1,Org 1,,,new@x.org,,,\n,Org 1,,,a@x.org,,,\n"), [enrolled(1, "a@x.org", "E1")])
    assert [str(p) for p in plan.problems] == [
        "line 2: matches the same member of the roll as line 3",
        "line 3: matches the same member of the roll as line 2",
    ]


def test_an_email_held_by_several_members_in_different_cases_is_a_problem() -> None:
    plan = plan_import(rows(",Org 1,,,a@x.org,,,\n"), [enrolled(1, "a@x.org"), enrolled(2, "A@x.org")])
    assert [str(p) for p in plan.problems] == [
        "line 2: voting contact email a@x.org matches several members (ids 1, 2)"
    ]
