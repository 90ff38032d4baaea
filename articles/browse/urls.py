from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from . import api, converters  # noqa: F401  converters registers <date:...>
from . import citation_views, downloads_views, views
from .cache import cached_page
from .feeds import IssueFeed, PersonFeed, PlaceFeed
from .sitemaps import SITEMAPS

# Sitemaps grow with the archive: each page is built once per archive version.
sitemap_index = cached_page(sitemap_index)
sitemap = cached_page(sitemap, keyed_on=("p",))

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.calendar_index, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("go/", views.jump, name="jump"),
    path("people/", views.people, name="people"),
    path("person/<int:pk>/", views.person, name="person"),
    path("person/name/<str:name>/", views.person_by_name, name="person_by_name"),
    path("person/<int:pk>/feed.atom", cached_page(PersonFeed()), name="person_feed"),
    path("places/", views.places_index, name="places"),
    path("place/<int:pk>/", views.place, name="place"),
    path("place/name/<str:name>/", views.place_by_name, name="place_by_name"),
    path("place/<int:pk>/feed.atom", cached_page(PlaceFeed()), name="place_feed"),
    path("feed/issues.atom", cached_page(IssueFeed()), name="issue_feed"),
    # An index of sections: a section holds at most 50,000 addresses and pages on.
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"}, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("data/", downloads_views.downloads_page, name="downloads"),
    path("data/<str:name>", downloads_views.download_file, name="download_file"),
    path("api/downloads.json", downloads_views.api_downloads, name="api_downloads"),
    # Each reader page's JSON twin (views.py builds both from one context).
    path("api/home.json", views.api_home, name="api_home"),
    path("api/calendar.json", views.api_calendar, name="api_calendar"),
    path("api/calendar/<int:year>.json", views.api_calendar_year, name="api_calendar_year"),
    path("api/people.json", views.api_people, name="api_people"),
    path("api/issues.json", api.issues, name="api_issues"),
    path("api/articles.json", api.articles, name="api_articles"),
    path("api/<date:date>.json", views.api_issue, name="api_issue"),
    path("api/<date:date>/<str:label>.json", views.api_page, name="api_page"),
    path("api/<date:date>/<str:label>/<int:position>.json", views.api_article, name="api_article"),
    path("api/person/<int:pk>.json", views.api_person, name="api_person"),
    path("api/places.json", views.api_places, name="api_places"),
    path("api/place/<int:pk>.json", views.api_place, name="api_place"),
    path("api/page/<int:pk>.json", views.api_page_by_id, name="api_page_by_id"),
    path("api/article/<int:pk>.json", views.api_article_by_id, name="api_article_by_id"),
    # Any other address under /api/ answers in the API's error shape, not with the HTML 404 page.
    path("api/<path:rest>", views.api_unknown, name="api_unknown"),
    path("page/<int:pk>/", views.page_by_id, name="page_by_id"),
    path("page/<int:pk>/raw.txt", views.page_raw_by_id, name="page_raw_by_id"),
    path("article/<int:pk>/", views.article_by_id, name="article_by_id"),
    # Citation files (RIS, BibTeX, CSL-JSON) of an article or a whole page.
    path("article/<int:pk>/cite.<str:fmt>", citation_views.article_citation, name="article_citation"),
    path("page/<int:pk>/cite.<str:fmt>", citation_views.page_by_id_citation, name="page_by_id_citation"),
    path("<date:date>/<str:label>/cite.<str:fmt>", citation_views.page_citation, name="page_citation"),
    path("<date:date>/", views.issue, name="issue"),
    path("<date:date>/<str:label>/", views.page, name="page"),
    path("<date:date>/<str:label>/raw.txt", views.page_raw, name="page_raw"),
    path("<date:date>/<str:label>/<int:position>/", views.article, name="article"),
    # A date typed without leading zeros (/2023-3-10/…) goes to its address.
    re_path(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})/(?P<rest>.*)$", views.unpadded_date),
]
