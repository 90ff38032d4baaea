"""Admin for the archive itself: issues, pages, articles, credits."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import addresses
from articles.models import Article, Credit, DateSource, Issue, Page
from articles.credits import credit_line

from . import history, masthead, review, segmentation
from .blocks import blocks_from_body
from .datenav import issue_date_nav
from .source import segments as source_segments
from .forms import ArticleForm, CreditForm, CreditFormSet, IssueForm, PageForm
from .guards import GuardedChangeList
from .tracking import TrackedAdmin, add_edited, keep_related_records


def reasons_html(reasons):
    if not reasons:
        return "—"
    return format_html("<ul class='phnews-reasons'>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in reasons)))


@admin.display(description="人工修改过的字段")
def edited_fields_text(obj):
    """The names staff edited, as the form labels them (re-import keeps these)."""
    return "、".join(history.label(type(obj), name) for name in obj.edited_fields) or "—"


@admin.display(description="待复核", ordering="needs_review")
def review_mark(obj):
    """A warning for "needs review"; Django's boolean icons would show it as a green tick."""
    if obj.needs_review:
        return mark_safe('<span class="phnews-needs-review" title="待复核">⚠ 待复核</span>')
    return mark_safe('<span class="phnews-reviewed" title="无需复核">—</span>')


def byline_text(item):
    # The importer stores each orphan byline as {"text", "credits", "lines"}.
    return item.get("text", str(item)) if isinstance(item, dict) else str(item)


@admin.action(description="标记为已复核", permissions=["change"])
def mark_reviewed(modeladmin, request, queryset):
    flagged = queryset.exclude(review_level="") if queryset.model is Article else queryset.filter(needs_review=True)
    count = review.mark_reviewed(request.user, flagged)
    modeladmin.message_user(request, f"已将 {count} 项标记为已复核。", messages.SUCCESS)


class EstimatedDateFilter(admin.SimpleListFilter):
    title = "日期来源"
    parameter_name = "date_source"

    def lookups(self, request, model_admin):
        return DateSource.choices

    def queryset(self, request, queryset):
        if self.value():
            field = "date_source" if queryset.model is Page else "page__date_source"
            return queryset.filter(**{field: self.value()})
        return queryset


class CreditsFilter(admin.SimpleListFilter):
    title = "署名"
    parameter_name = "credited"

    def lookups(self, request, model_admin):
        return [("no", "无署名"), ("yes", "有署名")]

    def queryset(self, request, queryset):
        credited = Exists(Credit.objects.filter(article=OuterRef("pk")))
        if self.value() == "no":
            return queryset.filter(~credited)
        if self.value() == "yes":
            return queryset.filter(credited)
        return queryset


class PersonFilter(admin.SimpleListFilter):
    """Filter by person id (?person=ID); links from the people list use it.

    A dropdown of every name would be thousands long, so only a person
    already chosen is offered.
    """

    title = "人物"
    parameter_name = "person"

    def lookups(self, request, model_admin):
        from articles.models import Person

        value = self.value()
        if value and value.isdigit():
            person = Person.objects.filter(pk=value).first()
            if person:
                return [(str(person.pk), person.name)]
        return []

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(pk__in=Credit.objects.filter(person_id=self.value()).values("article_id"))
        return queryset


@admin.register(Issue)
class IssueAdmin(TrackedAdmin):
    form = IssueForm
    list_display = ["date", "number", "weekday", "lunar_date", "page_count"]
    date_hierarchy = "date"
    search_fields = ["date", "number", "lunar_date"]
    readonly_fields = ["edited_fields_text"]

    def get_queryset(self, request):
        # Aggregates drop the default ordering; paginated lists need one.
        return super().get_queryset(request).annotate(page_total=_count(Page, "issue")).order_by("-date")

    @admin.display(description="版数", ordering="page_total")
    def page_count(self, obj):
        return obj.page_total

    edited_fields_text = staticmethod(edited_fields_text)


class ArticleOnPageInline(admin.TabularInline):
    model = Article
    fields = ["position", "title_link", "kind", "review"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "本版文章"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="标题")
    def title_link(self, obj):
        return obj.headline

    @admin.display(description="待复核")
    def review(self, obj):
        return review_mark(obj)


@admin.register(Page)
class PageAdmin(TrackedAdmin):
    form = PageForm
    list_display = ["issue_date", "label", "section", "source_name", "date_source", "article_count", review_mark]
    list_display_links = ["issue_date", "label"]
    list_filter = ["needs_review", EstimatedDateFilter, "edition"]
    list_select_related = ["issue"]
    date_hierarchy = "issue__date"
    search_fields = ["issue__date", "label", "source_name", "section", "raw_text"]
    readonly_fields = ["source_name", "date_source", "import_note", "reasons", "orphans", "masthead_items",
                       "edited_fields_text", "segmentation_pinned", "raw"]
    fieldsets = [
        (None, {"fields": ["issue_date", "label", "edition", "section", "editor", "designer", "proofreader"]}),
        ("复核", {"fields": ["needs_review", "reasons", "date_source", "import_note", "orphans", "edited_fields_text",
                            "segmentation_pinned"]}),
        ("来源", {"fields": ["source_name", "masthead_items", "leftover_text", "raw"]}),
    ]
    inlines = [ArticleOnPageInline]
    actions = [mark_reviewed]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=_count(Article, "page")).order_by(
            "issue__date", "sort_key", "label")

    def get_changelist(self, request, **kwargs):
        return LightPageList

    def has_add_permission(self, request):
        # Pages come from page files through import_pages, raw text and all.
        return False

    @admin.display(description="出版日期", ordering="issue__date")
    def issue_date(self, obj):
        return obj.issue.date if obj.issue_id else "日期不详"

    @admin.display(description="文章数", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    @admin.display(description="复核原因")
    def reasons(self, obj):
        return reasons_html(obj.review_reasons)

    @admin.display(description="无主署名")
    def orphans(self, obj):
        return reasons_html([byline_text(item) for item in obj.orphan_bylines])

    edited_fields_text = staticmethod(edited_fields_text)

    def before_save(self, request, obj, form, old, names):
        # A new date or label moves every article's address.
        if "issue" in names or "label" in names:
            addresses.remember_page(obj.pk)

    @admin.display(description="报头")
    def masthead_items(self, obj):
        return masthead.as_html(obj.masthead)

    @admin.display(description="原文")
    def raw(self, obj):
        return format_html("<pre class='phnews-raw'>{}</pre>", obj.raw_text)


class CreditInline(admin.TabularInline):
    model = Credit
    form = CreditForm
    formset = CreditFormSet
    fields = ["order", "role", "person"]
    autocomplete_fields = ["person"]
    extra = 1
    ordering = ["order", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return keep_related_records(super().formfield_for_dbfield(db_field, request, **kwargs))


@admin.register(Article)
class ArticleAdmin(TrackedAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    # Date, page and place share one narrow column: the headline needs the room.
    list_display = ["place", "headline_text", "kind", "column", "credit_list", review_mark]
    list_display_links = ["headline_text"]
    list_filter = ["needs_review", "review_level", "kind", EstimatedDateFilter, CreditsFilter, PersonFilter, "column"]
    list_select_related = ["page__issue"]
    list_per_page = 50
    show_full_result_count = False  # one COUNT over the whole archive fewer per list view
    date_hierarchy = "page__issue__date"
    search_fields = ["title", "kicker", "subtitle", "lead", "body", "credits__person__name"]
    autocomplete_fields = ["page", "parent", "continuation"]
    # The printed byline is evidence from the page, like its raw text: staff
    # correct the credits below, not what was printed.
    readonly_fields = ["reasons", "review_level", "edited_fields_text", "public_link", "byline"]
    fieldsets = [
        (None, {"fields": ["page", "position", "kind", "column", "public_link"]}),
        ("标题", {"fields": ["kicker", "title", "subtitle"]}),
        ("正文", {"fields": ["dateline", "byline", "lead", "body"]}),
        ("关联", {"fields": ["parent", "continued_from", "continued_to", "continuation"], "classes": ["collapse"]}),
        ("复核", {"fields": ["needs_review", "review_level", "reasons", "edited_fields_text"]}),
    ]
    inlines = [CreditInline]
    actions = [mark_reviewed]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("person").order_by("order", "id"))
        )

    def get_changelist(self, request, **kwargs):
        return LightArticleList

    def get_search_results(self, request, queryset, search_term):
        """Each word must occur in a headline part, lead, body or a credited name.

        Names are matched through a subquery rather than a join, so the list
        needs no DISTINCT over whole rows (slow on a large archive).
        """
        from articles.models import Credit as CreditModel

        for word in search_term.split():
            named = CreditModel.objects.filter(person__name__icontains=word).values("article_id")
            matches = Q(pk__in=named)
            for field in ("title", "kicker", "subtitle", "lead", "body"):
                matches |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(matches)
        return queryset, False

    def get_urls(self):
        def queue(request):
            if not (self.has_view_permission(request) or PageAdmin(Page, self.admin_site).has_view_permission(request)):
                raise PermissionDenied
            return review.review_queue_view(self, request)

        return ([path("review/", self.admin_site.admin_view(queue), name="articles_review_queue")]
                + segmentation.urls(self) + super().get_urls())

    @admin.display(description="日期·版次·篇", ordering="page__issue__date")
    def place(self, obj):
        day = obj.page.issue.date.isoformat() if obj.page.issue_id else "日期不详"
        return format_html("{}<br>{}版 第{}篇", day, obj.page.label or "?", obj.position)

    @admin.display(description="标题", ordering="title")
    def headline_text(self, obj):
        return obj.headline

    @admin.display(description="署名")
    def credit_list(self, obj):
        return credit_line(obj.credits.all()) or "—"

    @admin.display(description="复核原因")
    def reasons(self, obj):
        return reasons_html(obj.review_reasons)

    edited_fields_text = staticmethod(edited_fields_text)

    @admin.display(description="公开页面")
    def public_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html("<a href='{}' target='_blank'>在网站上查看</a>", obj.get_absolute_url())

    def before_save(self, request, obj, form, old, names):
        if "page" in names or "position" in names:
            addresses.remember(old.page_id)
        # Pages render blocks, so a body edit has to reach them.
        if "body" in names:
            obj.blocks = blocks_from_body(obj.body, old.blocks)

    def save_model(self, request, obj, form, change):
        if not change and obj.body and not obj.blocks:
            obj.blocks = blocks_from_body(obj.body)
        super().save_model(request, obj, form, change)
        if not change:
            _page_articles_edited(obj.page_id)
        elif "page" in form.changed_data:
            _page_articles_edited(obj.page_id, form.initial.get("page"))

    def describe_deleted(self, obj):
        return f"{obj.page} 第 {obj.position} 篇《{obj.headline}》，署名：{credit_line(obj.credits.all()) or '无'}"

    def delete_model(self, request, obj):
        page_id = obj.page_id
        super().delete_model(request, obj)
        _page_articles_edited(page_id)

    def delete_queryset(self, request, queryset):
        page_ids = set(queryset.values_list("page_id", flat=True))
        super().delete_queryset(request, queryset)
        _page_articles_edited(*page_ids)

    def related_snapshot(self, obj):
        credits = Credit.objects.filter(article=obj).select_related("person").order_by("order", "id")
        return {"credits": credit_line(credits)}

    def related_edited(self, obj, names):
        if add_edited(obj, names):
            Article.objects.filter(pk=obj.pk).update(edited_fields=obj.edited_fields)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["source_page"] = obj.page if obj is not None else None
        if obj is not None:
            context["source_segments"] = source_segments(obj.page.raw_text, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Credit)
class CreditAdmin(TrackedAdmin):
    form = CreditForm
    fields = ["article", "order", "role", "person"]
    list_display = ["article_title", "role", "person", "order"]
    list_filter = ["role"]
    list_select_related = ["article", "person"]
    search_fields = ["person__name", "article__title"]
    autocomplete_fields = ["article", "person"]

    @admin.display(description="文章", ordering="article__title")
    def article_title(self, obj):
        return obj.article.title

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _credits_edited(obj.article_id)
        if change and form.initial.get("article") not in (None, obj.article_id):
            _credits_edited(form.initial["article"])

    def delete_model(self, request, obj):
        article_id = obj.article_id
        super().delete_model(request, obj)
        _credits_edited(article_id)

    def delete_queryset(self, request, queryset):
        ids = set(queryset.values_list("article_id", flat=True))
        super().delete_queryset(request, queryset)
        for article_id in ids:
            _credits_edited(article_id)


def _credits_edited(article_id):
    # A credit changed on its own still protects the article's credits from re-import.
    article = Article.objects.filter(pk=article_id).only("pk", "edited_fields").first()
    if article is not None and add_edited(article, ["credits"]):
        Article.objects.filter(pk=article_id).update(edited_fields=article.edited_fields)


def _page_articles_edited(*page_ids):
    """Record that staff changed which articles a page holds (added, moved, deleted).

    "articles" in Page.edited_fields asks import_pages not to create or
    delete articles on that page again, so a deletion or move is not undone.
    """
    for page in Page.objects.filter(pk__in=[pk for pk in page_ids if pk]).only("pk", "edited_fields"):
        if add_edited(page, ["articles"]):
            Page.objects.filter(pk=page.pk).update(edited_fields=page.edited_fields)


def _count(model, field):
    """A correlated COUNT, so lists avoid GROUP BY over wide rows (raw text)."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


class LightArticleList(GuardedChangeList):
    """The article list without the columns it never shows: bodies and page text
    would otherwise be read and sorted for every row of the archive."""

    @cached_property
    def issue_date_nav(self):
        return issue_date_nav(self)

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(
            "body", "blocks", "lead", "page__raw_text", "page__leftover_text", "page__masthead",
            "page__orphan_bylines", "page__review_reasons",
        )


class LightPageList(GuardedChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(
            "raw_text", "leftover_text", "masthead", "orphan_bylines",
        )
