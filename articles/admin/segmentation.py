"""Admin views for fixing segmentation: split, merge with the next, move paragraphs.

Each fix is a GET confirmation page that shows the paragraphs concerned and
a POST (CSRF-protected) that applies it through segment_ops. Only staff who
may change articles see or use them; splitting also needs add, merging also
delete permission (editors have all three, checkers none).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import Article, ChangeRecord, Credit, Kind

from . import history, segment_ops
from .segment_ops import SegmentationError

DIRECTIONS = {"previous": "上一篇", "next": "下一篇"}


class SplitForm(forms.Form):
    title = forms.CharField(label="新文章标题", max_length=200, widget=forms.TextInput(attrs={"class": "vTextField"}),
                            error_messages={"required": "请填写新文章的标题。",
                                            "max_length": "新文章的标题太长（最多 200 字）。"})
    heading = forms.BooleanField(label="所选段落就是新文章的标题（不留在正文中）", required=False)
    kind = forms.ChoiceField(label="新文章体裁", choices=Kind.choices)
    credits = forms.ModelMultipleChoiceField(
        label="移到新文章的署名", required=False, queryset=Credit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="不勾选则新文章没有署名，原文章保留全部署名；之后可在新文章的编辑页添加。",
    )
    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, article, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credits"].queryset = (
            Credit.objects.filter(article=article).select_related("person").order_by("order", "id"))
        self.fields["credits"].label_from_instance = lambda credit: f"{credit.get_role_display()} {credit.person.name}"


class MergeForm(forms.Form):
    keep_heading = forms.BooleanField(
        label="把下一篇的标题作为小标题留在正文中", required=False, initial=True,
        help_text="误拆时下一篇的“标题”往往本是小标题；不勾选则标题文字只留在修改记录中。",
    )
    state = forms.CharField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)


def urls(model_admin):
    view = model_admin.admin_site.admin_view
    return [
        path("<int:object_id>/segments/", view(lambda r, object_id: overview(model_admin, r, object_id)),
             name="articles_article_segments"),
        path("<int:object_id>/segments/split/<int:index>/",
             view(lambda r, object_id, index: split(model_admin, r, object_id, index)),
             name="articles_article_split"),
        path("<int:object_id>/segments/merge/", view(lambda r, object_id: merge(model_admin, r, object_id)),
             name="articles_article_merge_next"),
        path("<int:object_id>/segments/move/<str:direction>/<int:index>/",
             view(lambda r, object_id, direction, index: move(model_admin, r, object_id, direction, index)),
             name="articles_article_move"),
    ]


class Stale(Exception):
    """The link was made for an older state of the page (re-submitted, or fixed since)."""

    def __init__(self, reason, article=None, object_id=None):
        super().__init__(reason)
        self.reason, self.article, self.object_id = reason, article, object_id


def stale_page(model_admin, request, error):
    """The admin's own page saying what changed since the link was made, and where to go on."""
    article = error.article
    records = list(history.for_object(article)[:3]) if article is not None else list(
        ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Article),
                                    object_id=str(error.object_id)).select_related("user")[:3])
    context = {
        **model_admin.admin_site.each_context(request), "title": "分段已变，这个链接已过时",
        "opts": Article._meta, "article": article, "reason": error.reason, "latest": records,
    }
    return TemplateResponse(request, "admin/articles/article/segments_stale.html", context, status=409 if article else 404)


def handles_stale(view):
    def wrapped(model_admin, request, *args, **kwargs):
        try:
            return view(model_admin, request, *args, **kwargs)
        except Stale as error:
            return stale_page(model_admin, request, error)
    return wrapped


def _article(model_admin, request, object_id, *extra_permissions):
    article = Article.objects.select_related("page__issue").filter(pk=object_id).first()
    if article is None:
        raise Stale("这篇文章已不存在：它可能已被并入另一篇或被删除。", object_id=object_id)
    allowed = model_admin.has_change_permission(request, article) and all(
        getattr(model_admin, f"has_{name}_permission")(request, *([article] if name == "delete" else []))
        for name in extra_permissions
    )
    if not allowed:
        raise PermissionDenied
    return article


def _context(model_admin, request, article, title, **extra):
    previous, following = segment_ops.neighbours(article)
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": Article._meta,
        "original": article,
        "article": article,
        "page": article.page,
        "previous": previous,
        "following": following,
        "paragraphs": list(enumerate(segment_ops.paragraphs(article))),
        **extra,
    }


def _applied(request, article_id, message):
    messages.success(request, message)
    return HttpResponseRedirect(reverse("admin:articles_article_segments", args=[article_id]))


@handles_stale
def overview(model_admin, request, object_id):
    article = _article(model_admin, request, object_id)
    siblings = Article.objects.filter(page_id=article.page_id).order_by("position").only(
        "pk", "position", "kicker", "title", "subtitle", "page_id")
    context = _context(
        model_admin, request, article, f"调整分段：{article.title}",
        siblings=siblings,
        can_split=model_admin.has_add_permission(request),
        can_merge=model_admin.has_delete_permission(request, article),
    )
    return TemplateResponse(request, "admin/articles/article/segments.html", context)


def _confirm(model_admin, request, article, template_title, operation, form, **extra):
    context = _context(model_admin, request, article, template_title, operation=operation, form=form, **extra)
    return TemplateResponse(request, "admin/articles/article/segments_confirm.html", context)


@handles_stale
def split(model_admin, request, object_id, index):
    article = _article(model_admin, request, object_id, "add")
    blocks = segment_ops.paragraphs(article)
    if not 1 <= index < len(blocks):
        raise Stale(f"本篇现在只有 {len(blocks)} 段，不能从第 {index + 1} 段起拆分：本篇在这个链接生成之后已改动"
                    "（可能已拆分过，或段落已移走）。", article)
    chosen = blocks[index]
    if request.method == "POST":
        form = SplitForm(article, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = segment_ops.split(
                    request.user, article.pk, index, data["title"], kind=data["kind"], heading=data["heading"],
                    credit_ids=[credit.pk for credit in data["credits"]], expected=data["state"])
            except SegmentationError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(reverse("admin:articles_article_segments", args=[article.pk]))
            model_admin.log_change(request, article, f"拆分：第 {index + 1} 段起成为新文章《{created.title}》")
            model_admin.log_addition(request, created, f"由《{article.title}》拆出")
            return _applied(request, article.pk,
                            f"已拆分：新文章《{created.title}》为本版第 {created.position} 篇。")
    else:
        # A short paragraph where the cut goes is most often the swallowed headline.
        looks_like_heading = chosen.get("kind") == "subhead" or len(chosen["text"]) <= 30
        form = SplitForm(article, initial={
            "title": chosen["text"][:200] if looks_like_heading else "",
            "heading": looks_like_heading, "kind": article.kind,
            "state": segment_ops.fingerprint(article.page_id),
        })
    return _confirm(model_admin, request, article, f"拆分文章：{article.title}", "split", form,
                    index=index, kept=blocks[:index], moved=blocks[index:])


@handles_stale
def merge(model_admin, request, object_id):
    article = _article(model_admin, request, object_id, "delete")
    following = segment_ops.neighbours(article)[1]
    if following is None:
        raise Stale("本篇现在是本版最后一篇，没有可合并的下一篇（可能已经合并过）。", article)
    if request.method == "POST":
        form = MergeForm(request.POST)
        if form.is_valid():
            title = following.title
            try:
                segment_ops.merge(request.user, article.pk, keep_heading=form.cleaned_data["keep_heading"],
                                  expected=form.cleaned_data["state"])
            except SegmentationError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(reverse("admin:articles_article_segments", args=[article.pk]))
            model_admin.log_change(request, article, f"合并：并入下一篇《{title}》")
            return _applied(request, article.pk, f"已合并：《{title}》并入《{article.title}》，署名取两篇之和。")
    else:
        form = MergeForm(initial={"state": segment_ops.fingerprint(article.page_id)})
    return _confirm(model_admin, request, article, f"与下一篇合并：{article.title}", "merge", form,
                    merged=segment_ops.merge_text(article, following, keep_heading=True),
                    following_paragraphs=segment_ops.paragraphs(following),
                    following_credits=Credit.objects.filter(article=following).select_related("person"))


@handles_stale
def move(model_admin, request, object_id, direction, index):
    article = _article(model_admin, request, object_id)
    if direction not in DIRECTIONS:
        raise Http404("方向只能是上一篇或下一篇")
    blocks = segment_ops.paragraphs(article)
    if not 0 <= index < len(blocks):
        raise Stale(f"本篇现在只有 {len(blocks)} 段，没有第 {index + 1} 段：本篇在这个链接生成之后已改动。", article)
    previous, following = segment_ops.neighbours(article)
    target = previous if direction == "previous" else following
    if target is None:
        raise Stale(f"本版现在没有{DIRECTIONS[direction]}：本版的分段在这个链接生成之后已改动。", article)
    moved = blocks[:index + 1] if direction == "previous" else blocks[index:]
    kept = blocks[index + 1:] if direction == "previous" else blocks[:index]
    if not kept:
        messages.error(request, "不能移走全部段落：整篇并入邻篇请用“与下一篇合并”。")
        return HttpResponseRedirect(reverse("admin:articles_article_segments", args=[article.pk]))
    if request.method == "POST":
        form = MoveForm(request.POST)
        if form.is_valid():
            try:
                segment_ops.move(request.user, article.pk, direction, index, expected=form.cleaned_data["state"])
            except SegmentationError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(reverse("admin:articles_article_segments", args=[article.pk]))
            note = f"{len(moved)} 段移到{DIRECTIONS[direction]}《{target.title}》"
            model_admin.log_change(request, article, note)
            model_admin.log_change(request, target, f"从《{article.title}》移入 {len(moved)} 段")
            return _applied(request, article.pk, f"已移动：{note}。")
    else:
        form = MoveForm(initial={"state": segment_ops.fingerprint(article.page_id)})
    return _confirm(model_admin, request, article, f"移动段落到{DIRECTIONS[direction]}：{article.title}", "move", form,
                    direction=direction, direction_label=DIRECTIONS[direction], target=target, moved=moved,
                    kept=kept,
                    target_paragraphs=segment_ops.paragraphs(target))
