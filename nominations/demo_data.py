"""The demo's invented network: about twenty member organisations and a community safety partnership."""

from __future__ import annotations

from nominations.services.participation import SeatRequest

NETWORK = ("Northbridge Community Network", "Amina Okafor", "coordinator@northbridge-network.example")

ORGANISATIONS = [
    ("Northbridge Women's Aid", "Jo Pearce"),
    ("Riverside Tenants' Association", "Dev Patel"),
    ("Northbridge Citizens Advice", "Siobhan Kelly"),
    ("Eastside Youth Project", "Marcus Reid"),
    ("Age Concern Northbridge", "Margaret Hill"),
    ("Northbridge Foodbank", "Tomasz Nowak"),
    ("Deaf Connect Northbridge", "Priya Shah"),
    ("St Anne's Community Centre", "Gareth Evans"),
    ("Northbridge Refugee Welcome", "Yusuf Hassan"),
    ("Pride in Northbridge", "Alex Morgan"),
    ("Northbridge Carers' Centre", "Helen Brooks"),
    ("Green Spaces Trust", "Owen Price"),
    ("Northbridge Mind", "Fatima Begum"),
    ("Westfield Residents' Forum", "Ian Campbell"),
    ("Northbridge Credit Union", "Grace Adeyemi"),
    ("Safer Streets Volunteers", "Liam O'Connor"),
    ("Northbridge Interfaith Forum", "Rabbi Sarah Levy"),
    ("Disability Rights Northbridge", "Kwame Mensah"),
    ("Northbridge Sports Partnership", "Rachel Green"),
    ("Home-Start Northbridge", "Catherine Doyle"),
]

PARTNERSHIP = ("Northbridge Community Safety Partnership", "Daniel Ward", "csp@northbridge-council.example")

REQUEST = SeatRequest(
    title="Voluntary sector representative",
    terms_of_reference=(
        "The partnership brings together the council, police, fire and rescue, probation, health and the\n"
        "voluntary sector to cut crime and disorder and the fear of crime in Northbridge."
    ),
    membership_details=(
        "Council (chair), police, fire and rescue, probation, NHS trust, housing, one VCS seat."
    ),
    knowledge_skills=(
        "Knowledge of community safety issues in Northbridge; able to gather and speak for the range of\n"
        "views in the sector; experience of partnership working."
    ),
    time_commitment="About 6 hours a month: one board meeting and preparation, plus report-backs.",
    meeting_schedule="Board meets on the second Tuesday of every other month, 10:00-12:00, Town Hall.",
    seats=1,
    term_months=24,
)

NOMINEES = [
    (
        0,
        "Sarah Okoye",
        "A domestic abuse specialist for fifteen years, I will bring survivors' voices to the board.",
    ),
    (1, "Tom Fletcher", "I chair our tenants' association and know what makes estates feel safe, or not."),
    (15, "Nadia Rahman", "Our volunteers walk the town centre every weekend: I will report what they see."),
]
