"""The demo publication's masthead: its name, sections, running stories, staff and sponsor.

Everything here is fictional: the publication, the countries, the companies and the people.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLICATION_NAME = "The Meridian Ledger"
TAGLINE = "Business, markets and the politics that moves them"
TIME_ZONE = "America/New_York"
# Printed at the foot of every newsletter (CAN-SPAM and its kin ask for a physical address).
POSTAL_ADDRESS = "The Meridian Ledger\n120 Harbour Street, Suite 4\nPortsmouth, NH 03801"
# The demo once drew a logo image for the header; the nameplate is now set in type.
OLD_LOGO_TITLE = "The Meridian Ledger logo"

HOME_SLUG = "home"


@dataclass(frozen=True)
class DemoSection:
    slug: str
    title: str
    intro: str


@dataclass(frozen=True)
class DemoTopic:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoAuthor:
    slug: str
    name: str
    role: str
    bio: str


@dataclass(frozen=True)
class DemoSponsor:
    name: str
    url: str
    disclosure: str
    logo_title: str
    logo_color: tuple[int, int, int]


SECTIONS = [
    DemoSection(
        "politics-diplomacy",
        "Politics & Diplomacy",
        "Governments, treaties and the quarrels between capitals that end up on balance sheets.",
    ),
    DemoSection(
        "business", "Business", "Companies, deals, the people who run them and the people who work there."
    ),
    DemoSection("markets", "Markets", "Stocks, bonds, currencies and commodities, and what moves them."),
    DemoSection(
        "technology", "Technology", "Chips, software, telecoms and the rules being written around them."
    ),
    DemoSection(
        "opinion", "Opinion", "Argument and analysis from the Ledger’s columnists and guest writers."
    ),
]

TOPICS = [
    DemoTopic(
        "valdora-kessen-rift",
        "The Valdora–Kessen rift",
        "How a dispute over fishing rights in the Strait of Orrin became the worst crisis between "
        "Valdora and Kessen in a generation, and what it is costing the companies caught between them.",
    ),
    DemoTopic(
        "chip-export-controls",
        "Chip export controls",
        "The licensing regime that decides who may buy advanced semiconductors and the machines that make "
        "them, and the industry scrambling to adapt.",
    ),
    DemoTopic(
        "central-banks",
        "Central banks",
        "Interest rates, inflation and the institutions that set the price of money.",
    ),
]

AUTHORS = [
    DemoAuthor(
        "mara-okafor",
        "Mara Okafor",
        "Diplomatic editor",
        "Mara Okafor has covered foreign ministries and the summits between them for fourteen years, "
        "previously from Savrin and Drelmark. She leads the Ledger’s coverage of the Valdora–Kessen rift.",
    ),
    DemoAuthor(
        "tomas-reyvik",
        "Tomas Reyvik",
        "Markets correspondent",
        "Tomas Reyvik writes about bonds, currencies and the central banks behind them. Before joining the "
        "Ledger he spent eight years on a trading desk in Port Aster.",
    ),
    DemoAuthor(
        "lena-hartwell",
        "Lena Hartwell",
        "Technology reporter",
        "Lena Hartwell covers semiconductors, telecoms and the regulation of both. She trained as an "
        "electrical engineer and still reads patent filings for fun.",
    ),
    DemoAuthor(
        "jonah-castellan",
        "Jonah Castellan",
        "Business editor",
        "Jonah Castellan edits the Business section and writes about shipping, retail and the companies "
        "that move goods between continents.",
    ),
    DemoAuthor(
        "ines-achterberg",
        "Ines Achterberg",
        "Economics columnist",
        "Ines Achterberg writes a weekly column on economics and policy. She was chief economist at the "
        "Calder & Voss bank and taught at the University of Savrin.",
    ),
    DemoAuthor(
        "partner-studio",
        "Ledger Partner Studio",
        "Sponsored content",
        "The Ledger Partner Studio makes content paid for by advertisers. It works separately from the "
        "newsroom, and everything it publishes is labelled as sponsored.",
    ),
]

SPONSOR = DemoSponsor(
    name="Corvane Energy Storage",
    url="https://www.corvane.example/",
    disclosure=(
        "This article was paid for by Corvane Energy Storage and produced by the Ledger’s partner studio. "
        "The Meridian Ledger’s journalists were not involved in its reporting or editing."
    ),
    logo_title="Corvane Energy Storage logo",
    logo_color=(20, 110, 90),
)
