"""Business: shipping, farming and retail."""

from masthead.news.demo.story import DemoArticle

SECTION = "business"

ARTICLES = [
    DemoArticle(
        slug="orrin-shipping-reroutes-sailings-around-calder",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="Orrin Shipping Lines sends a third of its sailings the long way round",
        standfirst=(
            "The region’s biggest carrier is avoiding the disputed eastern channel, adding up to four "
            "days to some voyages and a fuel surcharge that customers will start paying next week."
        ),
        dateline="Port Aster",
        authors=("jonah-castellan",),
        scene="container-yard",
        hero_caption="Containers waiting at Port Aster’s north terminal, where dwell times have doubled.",
        hero_credit="Ledger graphics desk",
        published_days_ago=2.2,
        body="""
Orrin Shipping Lines said on Monday that it would route about a third of its weekly sailings
around the Calder peninsula rather than through the eastern channel of the Strait of Orrin, the
clearest sign yet that the dispute between Valdora and Kessen is changing the way goods move
around the region.

The detour adds between two and four days to voyages between Port Aster and Kessen’s northern
ports, depending on the weather, and burns roughly 30% more fuel. Orrin will charge customers an
“emergency routing surcharge” of 180 crowns per container from next Monday, the company said in a
notice to freight forwarders.

Chief executive Helena Brask said the decision was about insurance rather than physical danger.
“Our ships are not being threatened,” she told analysts on a call. “But our insurers have tripled
the premium for the eastern channel, and some of our crews’ unions have asked us not to send
their members into an area where coastguards are boarding vessels. We have to listen to both.”

## A longer road, and a slower port

The effects are already visible at Port Aster. The average time a container spends on the quay
before being loaded has risen from three days to almost six since the start of the month,
according to the port authority, as schedules have been reshuffled and some vessels have arrived
late. Trucks have begun queuing on the approach road to the north terminal for the first time
since the port’s automation project was finished two years ago.

[image:feeder-ship] A feeder ship leaves Port Aster for the Calder route, which adds up to 340 nautical
miles. |
Ledger graphics desk

Freight forwarders said their customers were absorbing the costs for now. “A surcharge of 180
crowns is irritating, not fatal, for a container of machine parts worth half a million,” said
Tobias Wren, who runs a forwarding business in Port Aster. “It is a different story for a
container of frozen fish or animal feed, where the margin is thin and the clock is ticking.”

> Our ships are not being threatened. But our insurers have tripled the premium for the eastern channel.
~ Helena Brask, chief executive of Orrin Shipping Lines

## Rivals see an opening

Smaller carriers that already use the Calder route are picking up business. Vessen Line, which
runs a weekly service from the western ports, said bookings had risen by a quarter in three weeks
and that it was chartering an extra ship. Rail freight operators have also reported more
inquiries, although the single-track line across the border can take only a few extra trains a
day.

Orrin’s shares have fallen 14% since the dispute began, erasing the gains they made after the
company reported record profits in the spring. Analysts at Calder & Voss cut their rating on the
stock to “hold” on Monday, saying that every week of rerouting would reduce annual profits by
about 1%.

Ms Brask said the company would return to the eastern channel as soon as insurers allowed. “The
strait has been open for sixty years,” she said. “It will be open for sixty more. The question is
how expensive the next few months are going to be.”

[facts] Orrin Shipping Lines
- Headquarters: Port Aster
- Fleet: 46 container ships, 11 feeder vessels
- Weekly sailings through the strait before the dispute: 60
- Surcharge from next Monday: 180 crowns per container on rerouted sailings
""",
    ),
    DemoArticle(
        slug="tessaly-grain-farmers-count-cost-of-cancelled-orders",
        section=SECTION,
        kicker="valdora-kessen-rift",
        headline="Tessaly’s grain farmers count the cost as Kessen’s mills cancel orders",
        standfirst=(
            "Half of the region’s wheat goes to Kessen. With contracts cancelled and silos filling up, "
            "farmers fear the customers they lose this autumn will not come back."
        ),
        dateline="Tessaly",
        authors=("jonah-castellan", "mara-okafor"),
        scene="wheat-fields",
        hero_caption="Wheat fields outside Tessaly, where this year’s harvest was the largest in a decade.",
        hero_credit="Ledger graphics desk",
        access="subscribers",
        published_days_ago=8.1,
        body="""
On a normal October morning, the grain trucks leaving the Tessaly Grain Cooperative’s silos on the
edge of town would be heading for the railhead, and from there to the flour mills of Kessen. This
month many of them are going nowhere. The cooperative’s four concrete silos are full, and a fifth,
borrowed from a neighbouring farm, is filling up.

“We have never had a harvest this good, and we have never had this much trouble selling it,” said
Marta Lindqvist, who chairs the cooperative’s board and farms 600 hectares of wheat and barley
a few miles east of town. “Every week somebody calls from Drelmark to say they are sorry, but
they have to postpone.”

Kessen’s millers have cancelled or postponed orders for about 180,000 tonnes of Valdoran wheat
since the dispute over the Strait of Orrin began, according to the Valdoran Grain Council,
roughly a fifth of what they normally buy in a year. Some cite higher shipping costs; others say
privately that they are under pressure from Kessen’s government to buy elsewhere.

## Prices fall, storage fills up

The result is a glut at home. The price of milling wheat in Savrin has fallen 11% in a month,
while prices in Kessen have risen as mills look for supplies from further afield. Farmers who did
not sell their harvest in advance are holding on to it, betting that the dispute will be resolved
before their storage runs out.

That is a bet not all of them can afford. Many farmers in the region borrowed heavily to buy
machinery in the good years, and interest rates have doubled since then. “If you have a loan
payment in December, you sell in November, whatever the price,” said Ms Lindqvist.

> We have never had a harvest this good, and we have never had this much trouble selling it.
~ Marta Lindqvist, Tessaly Grain Cooperative

## Looking for new customers

The cooperative has started to look for new buyers. It sent a delegation to Talvany last week and
is in talks with a milling company in the southern port of Carrow about a one-year contract. But
selling to new markets takes time, and buyers know that Valdoran sellers are under pressure.
“They smell desperation,” said one trader in Savrin. “The first offers have been insulting.”

Farmers’ biggest fear is that the damage outlasts the dispute. Kessen’s mills have been buying
from Tessaly for three generations, in part because the wheat suits the dense rye-wheat loaves
that Kessen’s bakers favour. If they retool for grain from elsewhere, they may not switch back.

The government in Savrin has promised help. The agriculture ministry said on Friday it would
offer low-interest storage loans to farmers who hold grain off the market, and would buy up to
50,000 tonnes for the national reserve. Farmers’ groups said that was welcome but not enough.

[facts] Tessaly and the grain trade
- Tessaly region: about 40% of Valdora’s wheat output
- Share normally sold to Kessen: around half
- Orders cancelled or postponed since the dispute began: 180,000 tonnes
- Milling wheat price in Savrin: down 11% in a month

[related] what-the-strait-of-orrin-dispute-means-for-business | Explainer
""",
    ),
    DemoArticle(
        slug="brightwater-profit-falls-as-shoppers-trade-down",
        section=SECTION,
        headline="Brightwater’s profit falls as shoppers trade down to own-brand goods",
        standfirst=(
            "The supermarket chain cut its forecast for the year, saying customers are buying fewer "
            "branded products and more of its cheaper own label. Its shares fell 9%."
        ),
        dateline="Savrin",
        authors=("jonah-castellan",),
        scene="storefront",
        hero_caption="Brightwater’s flagship store on Canal Street in Savrin, which opened in 1974.",
        hero_credit="Ledger graphics desk",
        published_days_ago=11.3,
        body="""
Brightwater, Valdora’s second-largest supermarket chain, said on Wednesday that its operating
profit fell 18% in the three months to September, as shoppers squeezed by higher prices and
borrowing costs switched from branded goods to cheaper own-label products.

The company cut its forecast for annual profit to between 610 million and 640 million crowns,
from a previous range of 700 million to 740 million. Its shares fell 9% in Savrin, their biggest
one-day decline in more than three years.

Chief executive Anders Holm said that sales had held up, rising 2% on a like-for-like basis, but
that the mix of what customers were buying had changed faster than the company expected. “People
are still coming through our doors,” he said. “They are just putting different things in the
basket.”

## The own-label effect

Own-brand products made up 41% of Brightwater’s grocery sales in the quarter, up from 34% a year
earlier. Those products are cheaper for shoppers, but earn the chain less in absolute terms even
when their percentage margins are higher. At the same time, the company has been cutting prices
on hundreds of staples to keep customers from defecting to discount rivals such as Grosvik and
Koopman.

“Brightwater is fighting a war on two fronts,” said Elin Marsh, a retail analyst at Hartley
Securities. “It has to keep prices low enough to stop customers drifting to the discounters, and
it has to do that while those same customers are choosing cheaper products on its own shelves.
Both squeeze the margin.”

> People are still coming through our doors. They are just putting different things in the basket.
~ Anders Holm, Brightwater’s chief executive

## Costs keep climbing

The chain is also facing higher costs. Wages for shop staff rose 6% this year under a national
agreement, and energy bills for its refrigerated warehouses remain well above where they were two
years ago. Mr Holm said the company would save 120 million crowns over the next two years by
closing two distribution centres and moving more of its fleet to night-time deliveries.

He denied that Brightwater would close stores. “Our stores are profitable,” he said. “What we
are doing is making the machine behind them more efficient.”

Brightwater also said it would delay the opening of six new city-centre convenience shops until
next year, and would not raise its dividend. The company has paid a rising dividend every year
since it listed on the Savrin exchange in 2006.

## Signals for the wider economy

Economists said the results fit a broader picture of Valdoran households under strain. Consumer
spending has been flat in real terms for three quarters, and a survey by the Bank of Valdora last
month found that four in ten households expected their finances to worsen over the coming year.

“Supermarkets are the first place you see it,” said Ms Marsh. “People cut back on brands before
they cut back on holidays or cars. If Brightwater is seeing this now, other retailers will see it
by Christmas.”
""",
    ),
]
