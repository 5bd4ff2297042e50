from django.urls import path

from masthead.core.views import robots_txt
from masthead.news import feeds, views

app_name = "news"
urlpatterns = [
    path("topics/<str:slug>/", views.topic_page, name="topic"),
    path("authors/<str:slug>/", views.author_page, name="author"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/section/<str:slug>/", feeds.SectionFeed(), name="feed_section"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
