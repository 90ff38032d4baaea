"""The 数据下载 page (and its JSON twin) and its files, as build_downloads left them.

Nothing is built here: the page reads the manifest, a file is sent from disk
as an attachment, and only a name the manifest lists is ever opened.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import downloads
from .twin import twin

CONTENT_TYPES = {"jsonl": "application/x-ndjson; charset=utf-8", "text": "application/zip"}
KIND_LABELS = {"jsonl": "JSONL（完整记录）", "text": "纯文本（每篇一个文件，ZIP）"}


def downloads_context(request):
    manifest = downloads.read_manifest() or {}
    years = []
    for entry in manifest.get("years", []):
        files = [{**f, "label": KIND_LABELS.get(f["kind"], f["kind"]),
                  "url": request.build_absolute_uri(reverse("download_file", kwargs={"name": f["name"]}))}
                 for f in entry["files"]]
        years.append({"year": entry["year"], "year_label": "日期不详" if entry["year"] == downloads.UNDATED
                      else f"{entry['year']}年", "files": files})
    return {
        "years": years,
        "built_at": manifest.get("built_at"),
        # The operator's terms as they stand now, whenever the files were built.
        "license": settings.PHNEWS_DATA_LICENSE,
        "canonical": request.build_absolute_uri(reverse("downloads")),
        "json_url": reverse("api_downloads"),
    }


# Not the page cache: the manifest changes when build_downloads runs, not when the archive does.
downloads_page, api_downloads = twin(downloads_context, "articles/downloads.html", cached=False)


@require_safe
def download_file(request, name):
    manifest = downloads.read_manifest() or {}
    listed = {f["name"]: f for entry in manifest.get("years", []) for f in entry["files"]}
    if name not in listed:
        raise Http404(f"没有“{name}”这个下载文件。")
    # The checksum the page shows is the file's ETag: a harvester can tell it already has this file.
    etag = f'"{listed[name]["sha256"]}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    path = downloads.downloads_dir() / name
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise Http404(f"“{name}”正在重新生成，请稍后再试。") from None
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=CONTENT_TYPES.get(listed[name]["kind"], "application/octet-stream"))
    response["ETag"] = etag
    return response
