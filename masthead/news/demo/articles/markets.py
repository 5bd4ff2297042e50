"""Markets: rates, the crown and the stock exchange."""

from masthead.news.demo.story import DemoArticle

SECTION = "markets"

ARTICLES = [
    DemoArticle(
        slug="bank-of-valdora-holds-rates-warns-on-rift",
        section=SECTION,
        kicker="central-banks",
        headline="Bank of Valdora holds rates at 4.25% and warns the rift could feed inflation",
        standfirst=(
            "Governor Ilse Marnow says a weaker crown and costlier shipping are pushing prices up, "
            "and that a rate cut before the spring is now unlikely."
        ),
        dateline="Savrin",
        authors=("tomas-reyvik",),
        scene="trading-floor",
        hero_caption=(
            "The Bank of Valdora’s trading floor in Savrin, where the rate decision was announced at noon."
        ),
        hero_credit="Ledger graphics desk",
        published_days_ago=3.1,
        body="""
The Bank of Valdora kept its main interest rate at 4.25% on Thursday, as expected, but said the
dispute with Kessen had made the outlook for inflation “materially more uncertain” and signalled
that borrowers should not expect a cut before the spring.

The decision by the bank’s monetary policy committee was unanimous, the first time in a year that
all seven members have voted the same way. Two members had voted for a cut at each of the past
three meetings; both said this time that the fall in the crown had changed their minds.

“A month ago we could see a path to lower rates around the turn of the year,” Governor Ilse
Marnow told reporters in Savrin. “That path has become narrower. A weaker currency and more
expensive shipping both push up the prices that Valdoran households pay, and we have to take that
seriously.”

## The crown and the price of imports

The crown has lost about 5% of its value against the Kessen mark since the dispute over the
Strait of Orrin began, and 3% against a basket of the currencies of Valdora’s main trading
partners. The bank estimates that a sustained 5% fall in the trade-weighted crown adds between
0.4 and 0.6 percentage points to inflation over the following year.

Inflation was 3.1% in September, above the bank’s 2% target but down from a peak of 7.8% two
years ago. The bank now expects it to stay above 3% until the middle of next year, rather than
falling below it this winter as it forecast in July.

[image:crown-chart] The crown against the mark: the currency has fallen on most days since the first
trawler was boarded. |
Ledger graphics desk

> A weaker currency and more expensive shipping both push up the prices that Valdoran households pay.
~ Ilse Marnow, governor of the Bank of Valdora

## Markets push back bets on cuts

Traders reacted by pushing back their expectations. Before the meeting, futures markets implied a
roughly even chance of a cut in December; afterwards they implied less than a one-in-five chance.
The yield on two-year Valdoran government bonds rose 0.12 percentage points to 3.94%, its highest
level since June.

“The bank is telling us, politely, that the rift has cost borrowers a rate cut,” said Kasia Orlov,
chief economist at Hartley Securities. “The longer the dispute goes on, the longer that
message will hold.”

Mortgage lenders said the decision would keep pressure on households coming off fixed-rate deals.
About 140,000 Valdoran mortgages are due to be refinanced in the next six months, most of them at
rates roughly double those they were fixed at three years ago.

## Growth slows

The bank also lowered its forecast for economic growth next year to 0.9% from 1.3%, citing the
dispute’s effects on trade, weaker consumer spending and tighter credit. It said there was “a
meaningful risk” that the economy would shrink in the first quarter if the tariffs approved by
Kessen’s parliament took effect and Valdora retaliated.

Ms Marnow declined to comment on the politics of the dispute, but said that the bank was in
regular contact with the finance ministry. “Our job is to keep inflation at 2%,” she said. “It is
not to settle arguments about fish. We hope others settle it soon.”

[facts] The decision at a glance
- Main rate: unchanged at 4.25%
- Vote: 7–0 (previous meeting 5–2)
- Inflation forecast for year-end: 3.3%, up from 2.6%
- Growth forecast for next year: 0.9%, down from 1.3%
""",
    ),
    DemoArticle(
        slug="crown-slides-to-three-year-low-against-the-mark",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="The crown slides to a three-year low against the mark",
        standfirst=(
            "Foreign investors are selling Valdoran assets as the dispute with Kessen drags on. "
            "Exporters welcome the cheaper currency; importers and travellers do not."
        ),
        dateline="Savrin, Drelmark",
        authors=("tomas-reyvik",),
        scene="bureau-de-change",
        hero_caption="Currency boards at a bureau de change in Savrin’s central station on Tuesday morning.",
        hero_credit="Ledger graphics desk",
        published_days_ago=0.9,
        body="""
The Valdoran crown fell to its weakest level against the Kessen mark in three years on Tuesday, as
foreign investors sold Valdoran shares and bonds and traders bet that the dispute between the two
countries would last into next year.

The crown traded at 1.238 to the mark in Savrin in late afternoon, down 0.8% on the day and about
5% since the quarrel over the Strait of Orrin began. It was also weaker against most other
currencies, falling to its lowest level this year on the Bank of Valdora’s trade-weighted index.

Traders said the day’s move was driven by the Kessen parliament’s decision to schedule a final
vote on tariffs against Valdoran machinery, and by reports that Valdora’s government was
preparing a list of countermeasures. “Every headline about tariffs is a headline about growth,”
said Piotr Hallam, head of currency trading at Calder & Voss. “The market is marking down the
whole economy, not just the fishing fleet.”

## Foreign money heads for the door

Figures from the Savrin exchange show that foreign investors have been net sellers of Valdoran
shares for fourteen consecutive trading days, the longest run since the banking scare of 2019.
Overseas holdings of Valdoran government bonds fell by about 2.1 billion crowns in September,
according to the finance ministry.

Some of that money has gone to Kessen, where the mark has been supported by expectations that the
central bank in Drelmark will keep rates high. Kessen’s stock market has also fallen since the
dispute began, but by less: its main index is down 3%, against 7% for Savrin’s SX-40.

> The market is marking down the whole economy, not just the fishing fleet.
~ Piotr Hallam, Calder & Voss

## Winners and losers

A weaker crown is not bad news for everyone. Valdoran exporters, from toolmakers in the Savrin
valley to the timber mills of the north, earn more crowns for every mark or dollar of sales. Shares
in Arvell Precision, which sells most of its machines abroad, have recovered half of what they
lost after the Kessen tariff vote.

For importers, it is a different story. Fuel, electronics and much of the country’s fresh fruit
are priced in foreign currencies, and retailers say that the fall in the crown will show up on
shelves within weeks. Travel agents in Savrin report a rise in cancellations of winter holidays in
Kessen’s ski resorts, where prices in crowns have risen by about a twentieth since the summer.

Analysts were split on how much further the currency could fall. Some argued that it had already
priced in a long dispute and would rebound quickly on any sign of talks. Others pointed to the
government’s heavy borrowing needs next year and warned that investors would demand a higher
return to hold Valdoran debt whatever happened in the strait.

“If Lisvane produces a handshake, the crown is 3% higher within a week,” said Mr Hallam. “If it
produces a walkout, 1.30 is not out of the question.”

[facts] The crown this month
- Against the Kessen mark: down about 5%
- Trade-weighted: lowest level this year
- Foreign investors: net sellers of Valdoran shares for 14 straight days
- SX-40 index since the dispute began: down 7%

[related] bank-of-valdora-holds-rates-warns-on-rift | Related
""",
    ),
    DemoArticle(
        slug="chipmakers-lead-sx40-higher-after-licence-reprieve",
        section=SECTION,
        kicker="chip-export-controls",
        headline="Chipmakers lead the SX-40 higher after a licence reprieve",
        standfirst=(
            "Halden Semiconductor jumped 11% after it won permission to keep shipping to Valdora, "
            "lifting the technology sector to its best day since March."
        ),
        dateline="Savrin",
        authors=("tomas-reyvik", "lena-hartwell"),
        scene="exchange-board",
        hero_caption=(
            "The trading board at the Savrin exchange, where technology shares rose 4.2% on the day."
        ),
        hero_credit="Ledger graphics desk",
        access="registered",
        published_days_ago=2.6,
        body="""
Shares in semiconductor companies led the Savrin stock market higher on Monday after Halden
Semiconductor, the region’s largest chipmaker, said it had been granted a six-month licence to keep
shipping advanced processors to customers in Valdora despite tighter export controls.

Halden’s shares rose 11% in Drelmark and its Savrin-listed shares by a similar amount, their best
day in more than a year. The technology sub-index of the SX-40 rose 4.2%, and the broader index
closed 1.1% higher, recovering part of what it has lost since the dispute over the Strait of Orrin
began.

Traders said the licence removed the worst-case scenario for the sector, in which Halden would
have had to stop delivering its most profitable chips to Valdoran customers from the end of the
month. “The market had priced in a cliff,” said Nadia Evander, who manages a technology fund at
Marlow Asset Management. “The cliff has been moved six months down the road. That is worth a lot.”

## Suppliers share the relief

The gains spread to Halden’s suppliers and customers. Vantor Systems, which makes testing
equipment for chip factories, rose 7%. Saelig Devices, a Valdoran designer of power-management
chips that relies on Halden to manufacture its products, jumped 9%. Even Orrin Shipping Lines,
which carries many of Halden’s shipments, rose 2%.

Not everybody joined the rally. Arkon Microelectronics, a smaller rival that had hoped to win
customers if Halden’s exports were blocked, fell 5%. “Arkon was a bet on Halden getting hurt,”
said Ms Evander. “That bet just got a lot less likely to pay off.”

> The market had priced in a cliff. The cliff has been moved six months down the road.
~ Nadia Evander, Marlow Asset Management

## Six months is not forever

Analysts cautioned that the licence was temporary and came with conditions. Halden must report
every shipment of its most advanced chips to Kessen’s trade ministry, and will not be allowed to
sell to customers that the ministry judges to be connected to Valdora’s defence industry. The
company said it did not expect these conditions to affect more than 2% of its sales.

The bigger uncertainty is political. The export-control regime was drawn up before the fishing
dispute, to satisfy Kessen’s allies, but officials in Drelmark have hinted that licensing decisions
could be influenced by the state of relations with Valdora. “Investors should think of this as a
six-month option, not a permanent fix,” said Pieter Lund, a semiconductor analyst at Hartley
Securities.

For now, the reprieve has restored some confidence to a sector that had become one of the
market’s most volatile. Technology shares make up nearly a fifth of the SX-40 by value, and their
swings have dominated the index’s moves this year.

[facts] Monday’s biggest movers
- Halden Semiconductor: up 11%
- Saelig Devices: up 9%
- Vantor Systems: up 7%
- Arkon Microelectronics: down 5%
- SX-40 index: up 1.1%
""",
    ),
]
