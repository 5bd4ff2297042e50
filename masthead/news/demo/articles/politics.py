"""Politics & Diplomacy: the Valdora–Kessen rift from the capitals."""

from masthead.news.demo.story import DemoArticle

SECTION = "politics-diplomacy"

ARTICLES = [
    DemoArticle(
        slug="valdora-recalls-ambassador-after-trawler-seizures",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="Valdora recalls its ambassador after Kessen seizes two trawlers in the Strait of Orrin",
        standfirst=(
            "The first recall of an envoy between the neighbours since 1987 deepens a fishing dispute "
            "that has already disrupted shipping and rattled the crown."
        ),
        dateline="Savrin, Drelmark",
        authors=("mara-okafor",),
        scene="strait-at-dawn",
        hero_caption=(
            "The Strait of Orrin, where Kessen’s coastguard boarded two Valdoran trawlers before dawn."
        ),
        hero_credit="Ledger graphics desk",
        published_days_ago=0.15,
        body="""
Valdora recalled its ambassador to Kessen on Thursday, hours after Kessen’s coastguard boarded and
impounded two Valdoran trawlers in the disputed eastern channel of the Strait of Orrin, the most
serious diplomatic step either government has taken since the quarrel over fishing rights began
three weeks ago.

Foreign minister Adela Marsk told parliament in Savrin that Ambassador Piet Halloran had been
“called home for consultations” and that Kessen’s chargé d’affaires had been summoned to explain
what she called “an act of piracy dressed up as law enforcement”. It is the first time since 1987
that either country has withdrawn its envoy from the other’s capital.

In Drelmark, Kessen’s interior ministry said the two boats, the *Morning Tern* and the *Saint
Aubyn*, had been fishing without licences inside waters that Kessen has claimed since it
unilaterally redrew its maritime boundary in the spring. Their eleven crew members were taken to
the port of Veldt and “are being treated with every courtesy”, a spokesman said.

## A boundary drawn on one side

The dispute turns on a line. A 1962 treaty split the strait down its deep-water channel, but left
the shallower eastern banks, some of the richest cod grounds in the region, to be shared. In April
Kessen’s government published new charts that placed the banks inside its exclusive zone, citing a
survey that found the channel had shifted west. Valdora has refused to recognise the charts and
has continued to issue licences to its own fleet.

Until this week the confrontation had been a matter of shadowing and radio warnings. The boarding
of the two trawlers, at about 4am local time, changes that. Video released by the Valdoran
fishermen’s union shows a Kessen patrol boat drawing alongside the *Morning Tern* and armed
officers climbing aboard.

[image:eastern-banks-map] The eastern banks of the strait, shared under the 1962 treaty and claimed by Kessen
since April. |
Ledger graphics desk

> We will not negotiate with our boats tied up in Veldt. Release the crews, and then we can talk about charts.
~ Adela Marsk, Valdora’s foreign minister

Kessen’s prime minister, Oskar Brenn, said his government “regretted” the recall but would not
release the vessels until a court in Veldt had ruled on the charges, which carry fines of up to
two million marks. “The law of the sea applies to everybody,” he said at a press conference in
Drelmark, “including our friends.”

## Markets take fright

Investors reacted quickly. The Valdoran crown fell 1.4% against the Kessen mark in afternoon
trading in Savrin, its largest one-day drop since the spring, and shares in Orrin Shipping Lines,
which runs most of the container traffic through the strait, lost 6%. Insurers said they were
reviewing war-risk premiums for vessels using the eastern channel.

Diplomats on both sides privately described the recall as a signal rather than a rupture. Trade
between the two countries is worth roughly 38 billion crowns a year, and Kessen’s car plants depend
on Valdoran machine tools. “Nobody in either capital wants to find out what a real break looks
like,” said one official in Savrin, who asked not to be named because the talks are confidential.

Talvany, which borders both countries, has offered to host mediation, and its foreign ministry
said on Thursday that the offer “remains on the table”. Neither side has accepted it.

[facts] The dispute in brief
- 1962: treaty splits the Strait of Orrin along its deep-water channel
- April: Kessen publishes new charts claiming the eastern banks
- Three weeks ago: Kessen’s coastguard begins shadowing Valdoran trawlers
- Thursday: two trawlers seized; Valdora recalls its ambassador

[related] what-the-strait-of-orrin-dispute-means-for-business | Explainer
""",
    ),
    DemoArticle(
        slug="what-the-strait-of-orrin-dispute-means-for-business",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="What the Strait of Orrin dispute means for business",
        standfirst=(
            "A quarrel over cod has become a test of the region’s busiest shipping lane. Here is what "
            "is at stake, who is exposed, and what could happen next."
        ),
        dateline="Port Aster",
        authors=("mara-okafor", "jonah-castellan"),
        scene="port-cranes",
        hero_caption="Container cranes at Port Aster, which handles four in ten boxes bound for Kessen.",
        hero_credit="Ledger graphics desk",
        access="free",
        published_days_ago=6.4,
        body="""
For most of the past sixty years the Strait of Orrin has been a place that business did not have
to think about. Some 14,000 ships a year pass through its 22-mile-wide channel, carrying grain
out of Valdora, cars out of Kessen and containers in both directions. That ease is now in doubt.

The immediate quarrel is about fish. Kessen’s decision in April to redraw its maritime boundary
placed the eastern banks of the strait, shared since a 1962 treaty, inside its exclusive zone.
Valdora’s fleet has kept fishing there, Kessen’s coastguard has started to intervene, and the two
governments have been trading warnings ever since.

But the banks sit beside the strait’s only deep-water channel, and companies that have nothing to
do with cod are beginning to price in the risk that a fishing dispute turns into a shipping one.
This guide sets out what we know.

## Who uses the strait?

Roughly a third of Valdora’s exports by value pass through it, most of them through Port Aster,
the country’s largest container port. Kessen depends on the route for almost all of its imported
machine tools and much of its wheat. Orrin Shipping Lines, the region’s largest carrier, sends 60
sailings a week through the channel.

[facts] The strait in numbers
- 22 miles wide at its narrowest point
- About 14,000 vessel transits a year
- 38 billion crowns of annual trade between Valdora and Kessen
- 60 weekly sailings by Orrin Shipping Lines alone

## What could disrupt it?

No government has threatened to close the strait, and both depend on it too heavily to want to.
The risk is subtler. If the coastguards of the two countries keep confronting each other near the
channel, insurers will raise premiums, some shipowners will choose the longer route around the
Calder peninsula, and delivery times will stretch. Brokers in Port Aster say war-risk cover for
the eastern channel has already tripled since the spring.

> Nobody is going to blockade anything. But insurance is a vote of confidence, and right now the vote
> is going the wrong way.
~ Ruth Ambrose, marine underwriter at Halcyon Re

## Which companies are most exposed?

Shipping lines and freight forwarders feel it first. Manufacturers with tight supply chains, such
as Kessen’s car makers and the Valdoran machine-tool companies that supply them, feel it next.
Grain exporters face a different threat: Kessen’s mills could switch to other suppliers if the
quarrel drags on, and farmers in the Tessaly region fear that lost customers may not come back.

Banks with large loan books in both countries, including Calder & Voss, have said their exposure
is manageable. Investors are less sure: the crown has fallen against the mark on every day that
the dispute has made headlines.

## What happens next?

Talvany, which trades heavily with both, has said it would be willing to host talks, and officials
in both capitals say a deal on the fishing grounds is possible: joint licences and a shared quota
were discussed as recently as last year.
The obstacle is politics. Kessen’s government faces an election in the spring and has campaigned
on the new charts; Valdora’s coalition depends on a party that represents the fishing ports.

Until one side finds a way to climb down without appearing to, businesses on both shores will
keep paying a little more for a route they used to take for granted.
""",
    ),
    DemoArticle(
        slug="kessen-parliament-backs-tariffs-on-valdoran-machinery",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="Kessen’s parliament backs tariffs on Valdoran machinery",
        standfirst=(
            "The 15% levy, approved by a narrow margin, would hit the machine tools that Kessen’s own "
            "car factories depend on. Industry groups say it will hurt Kessen first."
        ),
        dateline="Drelmark",
        authors=("mara-okafor",),
        scene="assembly-building",
        hero_caption="The Assembly building in Drelmark, where the tariff bill passed by 112 votes to 104.",
        hero_credit="Ledger graphics desk",
        published_days_ago=3.6,
        updated_hours_later=5,
        body="""
Kessen’s parliament voted on Tuesday to impose a 15% tariff on machinery imported from Valdora,
escalating the dispute between the two neighbours from the fishing grounds of the Strait of Orrin
to the factory floor.

The bill passed the Assembly by 112 votes to 104 after a seven-hour debate, with several members
of the governing National Renewal party voting against it. It now goes to the upper chamber,
which is expected to approve it next week. The tariff would take effect on the first day of next
month and apply to lathes, presses, industrial robots and their spare parts.

Trade minister Katrin Olander told the chamber that the measure was “a proportionate answer” to
Valdora’s refusal to recognise Kessen’s new maritime charts and its continued licensing of
trawlers in the disputed eastern banks. “We have asked politely for five months,” she said.
“Politeness has been mistaken for weakness.”

## Factories caught in the middle

The vote alarmed Kessen’s manufacturers, who buy more than half of their machine tools from
Valdora. The Kessen Automotive Federation said the tariff would add about 900 million marks a
year to its members’ costs and warned that some planned investments would be delayed.

“We understand the government’s frustration,” said Viktor Sand, the federation’s director. “But a
tariff on the machines that build our cars is a tariff on our own exports. The first people to
pay it will be our workers, not Valdora’s fishermen.”

> A tariff on the machines that build our cars is a tariff on our own exports.
~ Viktor Sand, Kessen Automotive Federation

Valdoran toolmakers are also exposed. Kessen is the largest foreign market for Arvell Precision,
which makes high-speed milling machines in the town of Brisk, and for a cluster of smaller
suppliers in the Savrin valley. Arvell’s shares fell 4% in Savrin after the vote.

## Savrin weighs its answer

Valdora’s government said it would “study the bill carefully” and respond “at a time of our
choosing”. Officials in Savrin have drawn up a list of possible countermeasures, including duties
on Kessen’s cars and processed food, according to two people who have seen it. Ministers are
divided over whether to use it: the finance ministry fears that a tit-for-tat exchange would push
up prices at a time when inflation is already above target.

Economists said the tariff was more symbolic than severe at the level of the whole economy, but
could hurt specific towns on both sides of the border. “The numbers are small relative to GDP,”
said Hanne Lovric of the Drelmark Institute for Economic Research. “They are not small in Brisk,
or in the car towns north of Drelmark.”

[facts] What the tariff covers
- Machine tools, presses and industrial robots made in Valdora
- Spare parts and maintenance contracts for those machines
- Rate: 15%, from the first day of next month if the upper chamber agrees
- Estimated cost to Kessen’s car industry: 900 million marks a year

*Update: This article was updated after Kessen’s upper chamber scheduled its vote on the tariff
bill for next Tuesday, and to add comment from Valdora’s finance ministry, which said it
“does not seek an escalation but is ready for one”.*

[related] what-the-strait-of-orrin-dispute-means-for-business | Background
""",
    ),
    DemoArticle(
        slug="talvany-offers-to-host-strait-talks",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="Talvany offers to host talks as the rift enters its fourth week",
        standfirst=(
            "The small neighbour, which trades heavily with both, proposes talks on neutral ground in "
            "Lisvane. Diplomats say a deal on fishing quotas is within reach, if anyone wants one."
        ),
        dateline="Lisvane, Talvany",
        authors=("mara-okafor",),
        scene="lakeside-skyline",
        hero_caption="Lisvane’s lakeside skyline. Talvany has hosted regional talks twice before.",
        hero_credit="Ledger graphics desk",
        access="registered",
        published_days_ago=1.3,
        body="""
Talvany’s foreign minister, Eliska Varo, offered on Wednesday to host talks between Valdora and
Kessen in the lakeside capital of Lisvane, the most concrete attempt yet to halt a dispute over
fishing rights that has spilled into trade and finance.

Speaking after a cabinet meeting, Ms Varo said Talvany had sent both governments a proposal for
“talks without preconditions, at any level, starting whenever both sides are ready”. She said the
first round could be held within ten days and would be chaired by Talvany’s former president,
Andras Koll, who helped broker a border agreement between the same two countries in 1994.

Talvany has good reason to want a settlement. It sends a quarter of its exports to Kessen and
nearly as much to Valdora, and much of its trade passes through the Strait of Orrin. Its currency,
the talir, has weakened alongside the Valdoran crown since the dispute began.

## What a deal could look like

Officials on both sides say the outline of a compromise has been visible for months. Before
Kessen redrew its maritime boundary in April, negotiators had discussed a joint licensing system
for the disputed eastern banks, with an annual quota split between the two fleets and a shared
patrol to police it.

“The technical work is largely done,” said a diplomat in Lisvane who has followed
the talks, speaking on condition of anonymity. “There is a draft with square brackets around the
numbers. What is missing is a political decision to fill them in.”

> There is a draft with square brackets around the numbers. What is missing is a political decision to
> fill them in.
~ A diplomat in Lisvane

## The obstacles

That decision may be hard to come by. Kessen’s prime minister, Oskar Brenn, faces an election in
the spring and has made the new charts a point of national pride. Valdora’s coalition government
depends on the votes of the Coastal League, which represents fishing towns and has threatened to
walk out if the government concedes any part of the banks.

Neither capital rejected the offer on Wednesday. Valdora’s foreign ministry said it “welcomed
Talvany’s friendship” but repeated that the two trawlers seized last week and their crews must be
released before any talks. Kessen’s government said it would “reply in due course”.

Analysts said the careful language on both sides was itself a sign of movement. “Two weeks ago
both governments were saying there was nothing to discuss,” said Milo Ferrante, who studies the
region at the Institute for Northern Affairs. “Now they are arguing about the order in which to
discuss it. That is progress, of a kind.”

## Business wants a date

Companies on both sides of the strait have been lobbying for talks. Chambers of commerce in
Port Aster and Drelmark issued a rare joint statement on Tuesday urging both governments to
“lower the temperature before lasting damage is done”. Orrin Shipping Lines, which has rerouted
some sailings around the Calder peninsula, said a date for talks would by itself help to bring
down insurance costs.

[facts] Talvany’s proposal
- Talks in Lisvane, chaired by former president Andras Koll
- No preconditions; first round within ten days of acceptance
- Agenda: fishing licences, the seized trawlers, and coastguard rules of conduct
""",
    ),
]
