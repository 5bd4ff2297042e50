from django.urls import path

from masthead.core.views import robots_txt
from masthead.news import feeds, news_sitemap, views

app_name = "news"
urlpatterns = [
    path("topics/<str:slug>/", views.topic_page, name="topic"),
    path("authors/<str:slug>/", views.author_page, name="author"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/section/<str:slug>/", feeds.SectionFeed(), name="feed_section"),
    path("feeds/latest/atom/", feeds.LatestArticlesAtomFeed(), name="feed_latest_atom"),
    path("feeds/section/<str:slug>/atom/", feeds.SectionAtomFeed(), name="feed_section_atom"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-index.xml", news_sitemap.sitemap_index, name="sitemap_index"),
    path("news-sitemap.xml", news_sitemap.news_sitemap, name="news_sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
