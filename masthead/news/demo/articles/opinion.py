"""Opinion: columns. Datelines say where the column was written."""

from masthead.news.demo.story import DemoArticle

SECTION = "opinion"

ARTICLES = [
    DemoArticle(
        slug="the-rift-is-a-tax-both-countries-choose-to-pay",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="The rift is a tax both countries are choosing to pay",
        standfirst=(
            "Nobody will send a bill for the Strait of Orrin dispute. Households and firms on both "
            "shores are paying it anyway, a little at a time."
        ),
        dateline="Savrin",
        authors=("ines-achterberg",),
        scene="fishing-ground",
        hero_caption="The Strait of Orrin: a shared fishing ground, and now a shared source of cost.",
        hero_credit="Ledger graphics desk",
        published_days_ago=0.6,
        body="""
There is a particular kind of economic damage that never appears as a single number. No minister
will stand up and announce that the dispute over the Strait of Orrin has cost so many billions.
Instead the cost arrives in fragments: a surcharge on a container, a cancelled order for wheat, a
mortgage that will not be refinanced at a lower rate because the central bank has postponed a cut.
Added together, those fragments are a tax, and it is one that Valdora and Kessen are choosing to
levy on themselves.

Consider what has happened in less than a month. The crown has lost about 5% against the mark,
which will raise the price of imported goods in Valdoran shops before Christmas. Orrin Shipping
Lines is sending a third of its ships the long way round, and passing on the fuel bill. Kessen’s
parliament has voted to put a 15% tariff on the machine tools its own car factories need. The Bank
of Valdora has said, in its careful way, that a rate cut is off the table until spring.

None of these is a catastrophe. That is precisely the problem. Because each cost is modest, each
can be dismissed as the price of standing firm. Politicians on both sides have made the dispute a
question of national dignity, and dignity is easy to defend when the bill is spread thinly across
millions of people who do not know they are paying it.

## The arithmetic of a fishing ground

It is worth remembering what is actually at stake. The eastern banks of the strait produce fish
worth perhaps 300 million crowns a year at the quayside. Trade between the two countries is worth
more than a hundred times that. Even on generous assumptions about the value of the fishing rights,
the dispute has already cost more than the banks could earn in a decade.

> Even on generous assumptions, the dispute has already cost more than the fishing banks could earn in
> a decade.

Defenders of the hard line in both capitals will say that this misses the point: that a boundary
conceded over fish is a boundary that can be conceded over anything, and that principles are not
for sale. There is something in that. But principles can be protected in more than one way. A joint
licensing scheme, with a shared quota and a shared patrol, would leave both countries’ legal claims
intact while taking the coastguards off each other’s decks.

## A deal hiding in plain sight

That is not a fanciful idea. Negotiators drafted almost exactly such a scheme last year, before
Kessen published its new charts. The draft is still in a drawer in Drelmark and another in Savrin.
Talvany has offered a table in Lisvane where it could be taken out and finished.

What is missing is a politician willing to tell voters that the cheapest way to defend the national
interest is to share something. Kessen’s prime minister has an election in the spring; Valdora’s
coalition depends on a party from the fishing ports. Both have reasons to wait.

But waiting has a price, and it rises every week. The longer the dispute lasts, the more the
temporary costs harden into permanent ones: customers who switch suppliers and do not come back,
investments moved elsewhere, a generation of managers on both sides who learn to treat the other
country as a risk to be hedged. That tax will be paid long after the trawlers have gone home.

[facts] The bill so far
- Crown against the mark: down about 5%
- Shipping: a third of Orrin’s sailings rerouted, surcharge of 180 crowns a box
- Grain: 180,000 tonnes of orders cancelled or postponed
- Rates: a cut by the Bank of Valdora postponed until spring at the earliest
""",
    ),
    DemoArticle(
        slug="export-controls-work-only-if-allies-pull-together",
        section=SECTION,
        kicker="chip-export-controls",
        headline="Export controls work only if allies pull in the same direction",
        standfirst=(
            "Kessen is using chip licences as a lever in a fishing dispute. That is understandable, "
            "and a mistake that will weaken the controls it signed up to enforce."
        ),
        dateline="Savrin",
        authors=("ines-achterberg",),
        scene="circuit-boards",
        hero_caption=(
            "Circuit boards at an assembly plant: the controls reach every stage of the supply chain."
        ),
        hero_credit="Ledger graphics desk",
        access="subscribers",
        published_days_ago=2.0,
        body="""
Export controls are a strange kind of policy. They work only when they are boring. A licensing
regime that restricts the sale of advanced chips and chipmaking tools depends on predictable rules,
applied the same way by every country that has signed up to them, so that companies know what they
may sell and buyers know they cannot shop around for a more lenient supplier. The moment controls
become exciting, they start to fail.

That is why the way Kessen has handled chip licences during its quarrel with Valdora should worry
anyone who cares about the Northern Technology Compact. When two smaller chipmakers were refused
licences for Valdoran customers days after the first trawler was boarded in the Strait of Orrin,
Kessen’s trade ministry insisted that the timing was a coincidence. Few people in the industry
believed it. When Halden Semiconductor was granted a six-month licence a few weeks later, the
industry read that as a signal too: a reward for restraint, revocable at will.

I understand the temptation. Kessen’s government is under pressure at home, and licences are one
of the few levers it can pull without a vote in parliament. But a lever that is pulled for reasons
that have nothing to do with its purpose is a lever that loses its force.

## What controls are for

The Compact’s rules exist to stop the most advanced chips and the machines that make them from
reaching countries and companies that its members judge to be security risks. Valdora is not one of
them. It is a member of the Compact itself, and its own chip-equipment makers are among the regime’s
most important enforcers. Optiva, which builds most of the region’s advanced lithography machines,
has just had its servicing business brought under the controls at Valdora’s own insistence.

> A lever that is pulled for reasons that have nothing to do with its purpose is a lever that loses its force.

If licences between members of the Compact become bargaining chips in unrelated disputes, every
member will draw the same conclusion: that the controls are an instrument of national policy
rather than a shared commitment. Valdora’s suppliers, facing a licensing process in Drelmark that
they cannot predict, will lobby their own government for looser rules at home. Buyers outside the
Compact will notice the discord and look for the weakest link.

## Keeping the rules boring

There is a simple fix, and it does not require Kessen to concede anything in the strait. The
Compact’s members could agree that licence decisions for exports to other members will be made
against published criteria, with reasons given for refusals and a time limit for decisions. That
would not stop a government from refusing a licence for a legitimate reason. It would make it much
harder to refuse one for an illegitimate reason without saying so.

Kessen’s partners in the Compact should propose exactly that at its next meeting, and Kessen should
accept it. The fishing dispute will end, one way or another. The need for credible controls on the
technologies that matter most will not. It would be a poor bargain to trade the second for a brief
advantage in the first.

[related] halden-semiconductor-wins-six-month-export-licence | Reporting
""",
    ),
    DemoArticle(
        slug="in-defence-of-boring-central-banks",
        section=SECTION,
        kicker="central-banks",
        headline="In defence of boring central banks",
        standfirst=(
            "Critics say the Bank of Valdora moves too slowly. Its caution is the reason its word still "
            "counts for something in a crisis."
        ),
        dateline="Savrin",
        authors=("ines-achterberg",),
        scene="bank-headquarters",
        hero_caption="The Bank of Valdora’s headquarters on Treasury Square, completed in 1911.",
        hero_credit="Ledger graphics desk",
        published_days_ago=19.2,
        body="""
Every few years it becomes fashionable to complain that central banks are too cautious. The
complaint is back in Savrin. With inflation falling from its peak and the economy barely growing,
critics argue that the Bank of Valdora should have started cutting interest rates months ago, and
that its habit of waiting for one more set of figures is costing jobs and investment.

I have some sympathy for the argument. I spent a decade forecasting the bank’s decisions, and I
lost count of the meetings where I thought it was a quarter behind. But I have come to believe that
the bank’s caution is not a flaw to be corrected. It is the source of the one asset a central bank
cannot buy: the belief that it means what it says.

That belief matters most at exactly the moments when it is hardest to keep. Two years ago inflation
reached 7.8%, and the bank raised rates faster than at any time since the 1980s. Households and
businesses accepted the pain, grudgingly, partly because they believed the bank would keep going
until the job was done. They believed that because, over many years, it had done what it said it
would do, slowly and predictably.

## Speed has a price

A central bank that moves quickly can correct its mistakes quickly. It can also make them
quickly, and every reversal teaches markets that its guidance is provisional. The bank’s critics
point to neighbours that cut rates earlier this year and have not suffered for it. Perhaps. But
several of those neighbours are now facing the uncomfortable prospect of raising rates again, as
their currencies weaken and energy prices rise. The cost of that U-turn will not appear in any
single month’s figures. It will appear the next time they ask to be believed.

> Caution is not a flaw to be corrected. It is the source of the one asset a central bank cannot buy.

## Boring is not the same as passive

None of this means the bank should be immune from criticism. It could explain its thinking more
clearly, especially to the households who are not fluent in the language of neutral rates and
output gaps. Its forecasts have been too optimistic about inflation for three years running, and it
should say publicly what it has learned from that. It should publish the minutes of its meetings
sooner.

Nor does caution mean never acting. When the banking scare of 2019 threatened to turn into a
panic, the bank lent without limit within hours. Being predictable in normal times is what made
that intervention credible: nobody doubted that the bank would do what it had promised.

The economy is not in a crisis now, but it is fragile. Growth is weak, households are stretched,
and tensions in the region could push the crown and import prices in unpredictable directions. In
that world, a central bank whose word is trusted is worth more than one that gets the timing of a
single rate cut exactly right. Boring, in other words, is a feature. It is worth defending.

[facts] The Bank of Valdora
- Founded: 1846
- Inflation target: 2%
- Main interest rate: 4.25%
- Peak inflation in this cycle: 7.8%, two years ago
""",
    ),
]
