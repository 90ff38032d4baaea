from django.urls import path

from articles.search.web import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("api/search", views.api_search, name="api_search"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
