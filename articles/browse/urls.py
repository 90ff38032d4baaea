from . import converters  # noqa: F401  registers <date:...>
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("<date:date>/", views.issue, name="issue"),
    path("<date:date>/<str:label>/", views.page, name="page"),
    path("<date:date>/<str:label>/<int:position>/", views.article, name="article"),
    path("page/<int:pk>/", views.page_by_id, name="page_by_id"),
    path("article/<int:pk>/", views.article_by_id, name="article_by_id"),
    path("person/<int:pk>/", views.person, name="person"),
]
