"""Sponsored content, paid for by Corvane Energy Storage and written by the Ledger Partner Studio.

The newsroom's staff are never bylined on these; the sponsor's links are outbound links
(templates mark them rel="sponsored").
"""

from masthead.news.demo.story import DemoArticle

ARTICLES = [
    DemoArticle(
        slug="how-battery-storage-keeps-factory-lights-on",
        section="business",
        headline="How battery storage is keeping factory lights on through peak prices",
        standfirst=(
            "Three manufacturers in the Savrin valley explain why they installed batteries next to "
            "their production lines, and what it has done to their energy bills."
        ),
        dateline="Savrin valley",
        authors=("partner-studio",),
        scene="battery-containers",
        hero_caption="Battery containers beside a machining plant in the Savrin valley.",
        hero_credit="Corvane Energy Storage",
        sponsored=True,
        published_days_ago=7.3,
        body="""
When electricity prices spiked two winters ago, Karin Solberg did the calculation that every
factory manager in the Savrin valley was doing. Her company, which machines aluminium housings for
electric motors, was paying more for power in the evening peak than it earned on some of the parts
it made during those hours. “We were effectively paying to work,” she says.

Her answer was not to stop working, but to change when the plant buys its electricity. Last year
the company installed a 4-megawatt-hour battery system in two containers behind the main hall. It
charges overnight and at weekends, when power is cheap, and discharges during the late-afternoon
peak, when it is most expensive.

“The machines do not know the difference,” Ms Solberg says. “The accountants do. Our peak-hour
purchases have fallen by about 70%, and our total bill by around a fifth.”

## Why factories are looking at storage

Manufacturers in the valley face two kinds of energy cost. The first is the price of each
kilowatt-hour, which swings through the day with demand. The second is the capacity charge: a fee
based on the highest demand a site places on the grid in any half-hour during the month. A single
spike, when several furnaces and presses start at once, can set that charge for weeks.

Batteries address both. They shift consumption from expensive hours to cheap ones, and they can
smooth out spikes by supplying the extra power for a few minutes, so the grid never sees them.
For plants with heavy machinery, the second benefit is often the larger one.

> The machines do not know the difference. The accountants do.
~ Karin Solberg, operations director at a Savrin valley machining company

## What the numbers look like

Corvane, which designs and installs battery systems for industrial sites, says a typical
installation for a mid-sized factory pays for itself in five to seven years, depending on the
site’s demand profile and local tariffs. Systems are sized from a detailed study of a plant’s
half-hourly consumption over at least a year. Corvane publishes [an explanation of how those
studies work](https://www.corvane.example/guides/industrial-load-study) on its website.

For Mats Eklund, who runs a plastic moulding business a few miles from Ms Solberg’s plant, the
decisive factor was reliability. “We lost power for four hours last winter during a storm,” he
says. “That cost us two days of production, because the moulds had to be cleaned and reheated.
The battery now gives us forty minutes to shut down safely, or to ride through a short outage.”

## Beyond the factory gate

Some sites are going further. A food processing plant in the north of the valley has combined its
battery with rooftop solar panels, storing midday generation for the evening shift. Another has
signed up to a grid-balancing scheme that pays it to release stored power when the regional grid
is under strain, earning revenue from an asset that would otherwise sit idle for part of the day.

Industrial storage is not the right answer for every business. Sites with flat, predictable
demand gain less, and space for containers is not always available. But for energy-intensive
manufacturers facing volatile prices, it is becoming a standard part of the conversation. Firms
considering it can [request a free site assessment](https://www.corvane.example/assessment) from
Corvane.

[facts] Industrial batteries in brief
- Typical factory system: 1 to 10 megawatt-hours
- Main savings: peak-hour purchases and capacity charges
- Typical payback: five to seven years
- Added benefit: back-up power for safe shutdowns
""",
    ),
    DemoArticle(
        slug="five-questions-about-long-duration-energy-storage",
        section="technology",
        headline="Five questions about long-duration energy storage, answered",
        standfirst=(
            "Batteries that last an evening are common. Storage that lasts for days could change how a "
            "grid with a lot of wind power works. Here is what it is and where it stands."
        ),
        dateline="Port Aster",
        authors=("partner-studio",),
        scene="storage-tanks",
        hero_caption="A pilot storage site near Port Aster, connected to the northern wind farms.",
        hero_credit="Corvane Energy Storage",
        sponsored=True,
        published_days_ago=14.6,
        body="""
Valdora now gets about a third of its electricity from wind, and the share is rising each year.
That is good news for emissions and, most of the time, for prices. But the wind does not blow to a
timetable, and a grid that depends on it needs ways to store energy not just for an evening but for
days at a time.

That is the job of long-duration energy storage, a group of technologies that is moving from
pilot projects to commercial use. We put five common questions to engineers at Corvane, which
builds storage systems, and to independent grid specialists.

## 1. What counts as long-duration?

There is no single definition, but the industry generally means systems that can deliver power for
ten hours or more at their rated output. Most lithium-ion batteries installed today discharge over
one to four hours, which is ideal for shifting solar power into the evening peak but not for
covering a windless week in January.

## 2. What technologies are involved?

Several. Flow batteries store energy in liquid electrolytes held in tanks, so capacity can be
increased simply by adding bigger tanks. Iron-air batteries use the rusting and un-rusting of iron
to store energy cheaply over long periods. Thermal systems heat materials such as sand or molten
salt and turn the heat back into electricity or use it directly in industry. Pumped hydro, the
oldest form of storage, also belongs in this category.

> A windless week in January is the problem that short-duration batteries were never designed to solve.
~ Corvane engineering team

## 3. Why does it matter for a grid like Valdora’s?

Because the hardest problem for a wind-heavy grid is not the daily cycle but the long lull. A few
times each winter, a high-pressure system settles over the region and wind output falls to a small
fraction of normal for several days. Today those gaps are filled mainly by gas-fired power
stations. Long-duration storage, charged during windy periods, could fill some of them instead.

## 4. Is it affordable yet?

Costs are falling but remain higher than for short-duration batteries on a per-unit-of-power
basis. The economics depend on how often the storage is used and how the market rewards it.
Grid specialists say that clear rules for paying storage to be available during scarce periods
will matter as much as further falls in equipment costs. Corvane has published [a summary of
current cost estimates](https://www.corvane.example/insights/long-duration-costs) for different
technologies.

## 5. What is happening in Valdora?

Two pilot projects are running: a flow-battery installation near Port Aster, connected to the
northern wind farms, and a thermal storage unit supplying heat to a paper mill in the north. The
grid operator has said it will hold its first auction for long-duration capacity within two years.

“The technology is ready for its first serious deployments,” says one grid planner. “What the
market needs now is a signal that storage will be paid for the job it does.”

[facts] Storage durations compared
- Short-duration lithium-ion: 1 to 4 hours
- Long-duration (flow, iron-air, thermal): 10 hours to several days
- Pumped hydro: typically 6 to 20 hours
""",
    ),
]
