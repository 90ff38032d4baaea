from django.urls import path

from articles.search.web import citations, trends_views, views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/cite.<str:fmt>", citations.search_citation, name="search_citation"),
    path("api/search", views.api_search, name="api_search"),
    path("trends/", trends_views.trends_page, name="trends"),
    path("api/trends", trends_views.api_trends, name="api_trends"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
