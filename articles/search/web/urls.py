from django.urls import path

from articles.search.web import citations, views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/cite.<str:fmt>", citations.search_citation, name="search_citation"),
    path("api/search", views.api_search, name="api_search"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
