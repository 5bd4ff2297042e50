"""Technology: chips, export licences and the power that data centres need."""

from masthead.news.demo.story import DemoArticle

SECTION = "technology"

ARTICLES = [
    DemoArticle(
        slug="halden-semiconductor-wins-six-month-export-licence",
        section=SECTION,
        kicker="chip-export-controls",
        headline="Halden Semiconductor wins a six-month licence to keep shipping to Valdora",
        standfirst=(
            "Kessen’s trade ministry grants the chipmaker a temporary exemption from new export rules, "
            "with strict reporting conditions. Customers have until spring to find alternatives."
        ),
        dateline="Drelmark",
        authors=("lena-hartwell",),
        scene="wafer-line",
        hero_caption=(
            "A wafer inspection line at Halden’s plant in Drelmark, which makes 40,000 wafers a month."
        ),
        hero_credit="Ledger graphics desk",
        published_days_ago=2.8,
        body="""
Halden Semiconductor, Kessen’s largest chipmaker, said on Monday that it had been granted a
six-month licence to continue exporting its most advanced processors to customers in Valdora,
averting an abrupt halt to shipments that would have hit carmakers, telecoms companies and data
centres across the border.

The licence, issued by Kessen’s trade ministry late on Sunday, exempts Halden from the stricter
export controls that took effect this month for chips made on processes of 7 nanometres or finer.
Without it, Halden would have had to stop shipping those chips to Valdora at the end of October.

“This gives our customers time, and it gives governments time,” said Halden’s chief executive,
Rasmus Kjeld, in a statement. “We have always said that a sudden stop helps nobody, least of all
the engineers on both sides of the border who build products together.”

## The conditions attached

The licence comes with conditions. Halden must report every shipment of covered chips to the
ministry within five working days, including the name of the end customer and the product the
chips will go into. It may not sell to any customer on a list of companies that the ministry
considers linked to Valdora’s defence industry, which has not been published.

Halden said the conditions would affect less than 2% of its revenues and that it had “robust
systems” for tracking where its products end up. Industry lawyers said the reporting requirement
would nonetheless be a heavy administrative load. “Chips go through distributors, module makers
and contract manufacturers before they reach a product,” said Sofie Brandt, a trade lawyer in
Drelmark. “Knowing your end customer is easy to write in a regulation and hard to do in a supply
chain.”

[image:processor] Halden’s most advanced processors, made on a 5-nanometre process, are covered by the
new rules. |
Ledger graphics desk

## Why the controls exist

The export-control regime was not designed with Valdora in mind. Kessen tightened its rules in
the spring to align with its partners in the Northern Technology Compact, which restrict the sale
of advanced chips and chipmaking equipment to a list of countries. Valdora is not on that list,
but the new rules require licences for all exports of the most advanced chips, wherever they go,
so that the ministry can check where they end up.

In practice, officials in Drelmark have used the licensing process to send signals. Two smaller
chip companies were refused licences for Valdoran customers last month, days after the first
trawler was boarded in the Strait of Orrin. The ministry denied any connection.

> Knowing your end customer is easy to write in a regulation and hard to do in a supply chain.
~ Sofie Brandt, trade lawyer

## Customers prepare for spring

In Valdora, customers welcomed the reprieve but said they were preparing for the possibility that
it would not be renewed. Telecoms operator Valnet said it had started qualifying chips from a
supplier outside the region for its next generation of network equipment, a process that takes
about a year. Carmaker Savrin Motor Works said it had built up three months of inventory.

“Six months is not long in semiconductors,” said Mr Kjeld. “A new chip design takes two years.
We hope the licence will be renewed, and we will make the case for it.”

[related] new-rules-put-lithography-parts-on-the-controlled-list | Background
""",
    ),
    DemoArticle(
        slug="new-rules-put-lithography-parts-on-the-controlled-list",
        section=SECTION,
        kicker="chip-export-controls",
        headline="New rules put lithography parts on the controlled list",
        standfirst=(
            "From next month, spare parts and servicing for chipmaking machines will need an export "
            "licence. Equipment makers say the rules are vague and could cost them their best customers."
        ),
        dateline="Savrin",
        authors=("lena-hartwell",),
        scene="clean-room",
        hero_caption="A clean room at a chip plant, where lithography machines print circuits onto silicon.",
        hero_credit="Ledger graphics desk",
        published_days_ago=13.4,
        body="""
The members of the Northern Technology Compact agreed on Friday to extend their export controls on
chipmaking equipment to cover spare parts, software updates and on-site servicing for the most
advanced lithography machines, closing what officials called a loophole that allowed restricted
factories to keep running.

The new rules, which take effect next month, mean that companies selling parts or services for
lithography machines capable of printing features of 7 nanometres or smaller will need a licence
for each customer. The rules apply to existing machines as well as new ones: a factory that bought
a machine before the controls began will need its supplier to obtain a licence to keep servicing
it.

Lithography machines, which use light to print the patterns of a chip’s circuits onto silicon
wafers, are the most complex and expensive tools in a chip factory. The most advanced models cost
more than 150 million crowns each and need constant maintenance by engineers from the
manufacturer. Without servicing, they degrade within months.

## An industry asks what counts

Equipment makers said the rules were broad and, in places, unclear. The Compact’s text covers
“components specially designed” for controlled machines, but many parts, such as vacuum pumps,
lenses and control boards, are used in older machines too. Companies will have to decide for
themselves whether a part is covered, and face fines if they guess wrong.

“We support the goal. We are worried about the drafting,” said Johan Vellinga, who heads the trade
association for Valdora’s chip-equipment suppliers. “A pump that goes into a controlled machine and
an uncontrolled one is either covered or it is not. Right now we do not know, and the penalty for
being wrong is severe.”

> A pump that goes into a controlled machine and an uncontrolled one is either covered or it is not.
> Right now we do not know.
~ Johan Vellinga, chip-equipment suppliers’ association

## Who is affected

The largest effect will be on Optiva, the Valdoran company that makes most of the region’s
advanced lithography systems. Servicing and parts account for about a third of its revenue, and
its biggest customers include factories in countries on the Compact’s restricted list. Optiva said
it was “assessing the impact” and would update investors at its results next month. Its shares fell
6% in Savrin.

Smaller suppliers are worried too. Many of them sell parts to Optiva, which then sells them on to
customers, and they do not always know where their products end up. Under the new rules, they
may need to collect that information or risk breaching the controls.

## A moving target

Officials defended the rules as a necessary step. “Controls that stop the sale of a machine but
allow it to be serviced for ten years are not controls,” said a spokesperson for Valdora’s trade
ministry. The ministry said it would publish guidance on which parts are covered before the rules
take effect, and would set up a helpline for exporters.

Lawyers said companies should expect further changes. The Compact has revised its list of
controlled technologies three times in two years, each time in response to reports that restricted
buyers had found a way around the previous version.

[facts] What the new rules cover
- Spare parts “specially designed” for advanced lithography machines
- Software updates and on-site servicing of those machines
- Machines already installed as well as new sales
- Licences required for each customer, from next month
""",
    ),
    DemoArticle(
        slug="port-aster-data-centre-boom-runs-into-power-crunch",
        section=SECTION,
        headline="Port Aster’s data centre boom runs into a power crunch",
        standfirst=(
            "Developers want to build more than 900 megawatts of data centres around the port city. "
            "The grid operator says it cannot connect most of them before 2031."
        ),
        dateline="Port Aster",
        authors=("lena-hartwell", "jonah-castellan"),
        scene="wind-hills",
        hero_caption=(
            "Wind turbines on the hills above Port Aster, which supply a quarter of the region’s power."
        ),
        hero_credit="Ledger graphics desk",
        access="free",
        published_days_ago=17.5,
        body="""
Port Aster has everything a data centre developer wants: cheap land on the old dockyards, fast
undersea cables, a cool climate and a pool of engineers. What it does not have, according to the
company that runs Valdora’s electricity grid, is enough power.

Grid operator Valgrid said on Thursday that it had received requests to connect more than 900
megawatts of new data centre capacity in and around the city, roughly equal to the current peak
demand of every home and business in the region combined. It said it could connect only about 150
megawatts before 2031, when a new high-voltage line from the northern wind farms is due to be
finished.

“We want these projects, and we want them here,” said Valgrid’s chief executive, Greta Lindahl. “But
we cannot connect a city’s worth of demand to a grid that was built for a port and its suburbs. The
physics does not care how good the business case is.”

## A queue of projects

The queue for grid connections has grown rapidly over the past two years as cloud providers and
artificial-intelligence companies have looked for sites to build large new facilities. Twelve
projects are waiting for a connection around Port Aster alone, ranging from a 10-megawatt expansion
of an existing site to a proposed 300-megawatt campus on the former Harrow shipyard.

Under current rules, projects are connected in the order in which they applied, regardless of
whether they are ready to build. Developers say that has allowed speculative applications to clog
up the queue. Valgrid has asked the energy regulator to let it move projects that have planning
permission and financing to the front.

[image:data-campus] The proposed campus on the former Harrow shipyard would need 300 megawatts at full
capacity. |
Ledger graphics desk

> We cannot connect a city’s worth of demand to a grid that was built for a port and its suburbs.
~ Greta Lindahl, chief executive of Valgrid

## Looking for workarounds

Some developers are trying to build around the grid. The Harrow project has proposed its own gas
turbines as a back-up, a plan that has drawn objections from environmental groups. Others are
looking at large batteries, which could let a data centre draw power from the grid at night and
run on stored electricity during peak hours, reducing the size of the connection it needs.

City officials are torn. Data centres bring construction jobs and tax revenue, but few permanent
jobs, and they compete with housing and factories for the same limited grid capacity. “We have a
steel mill that wants to switch to electric furnaces and a housing scheme for 4,000 homes,” said
deputy mayor Olav Bergen. “Both need power too. Someone has to decide who goes first.”

The national government is expected to publish a strategy for data centres later this year. Draft
proposals seen by the Ledger suggest that it will encourage developers to build near new wind and
solar farms in the north, where power is plentiful, rather than near the cities where they would
prefer to be.

[facts] Port Aster’s power queue
- Data centre projects waiting for a connection: 12
- Total capacity requested: more than 900 megawatts
- Capacity available before 2031: about 150 megawatts
- Region’s current peak demand: about 950 megawatts
""",
    ),
]
