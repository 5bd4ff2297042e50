"""Every demo article, the front page's lead story first."""

from masthead.news.demo.articles import business, markets, opinion, politics, sponsored, technology
from masthead.news.demo.story import DemoArticle

ARTICLES: list[DemoArticle] = [
    *politics.ARTICLES,
    *business.ARTICLES,
    *markets.ARTICLES,
    *technology.ARTICLES,
    *opinion.ARTICLES,
    *sponsored.ARTICLES,
]

LEAD_SLUG = politics.ARTICLES[0].slug
