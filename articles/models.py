"""The archive's data model: issues, pages, articles and the people credited.

Modelled on newspaper archives such as Chronicling America: an issue is one
day's paper, a page keeps its raw text beside what was parsed from it, and an
article belongs to one page at one position.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

SPACES = re.compile(r"\s+")


def normalize_name(name):
    """One person is one row whatever the typesetting: "王 强" is "王强"."""
    return SPACES.sub("", name or "")


def validate_no_spaces(value):
    if SPACES.search(value):
        raise ValidationError("姓名中不能含空格（排版空格不属于姓名）。")


class Issue(models.Model):
    date = models.DateField("出版日期", unique=True)
    number = models.PositiveIntegerField("总期号", null=True, blank=True, unique=True)
    lunar_date = models.CharField("农历", max_length=40, blank=True)
    weekday = models.CharField("星期", max_length=8, blank=True)
    edited_fields = models.JSONField("人工修改的字段", default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "期"
        verbose_name_plural = "期"

    def __str__(self):
        return f"{self.date:%Y年%m月%d日}" + (f"（总第{self.number}期）" if self.number else "")

    def get_absolute_url(self):
        return reverse("issue", kwargs={"date": self.date.isoformat()})


class DateSource(models.TextChoices):
    MASTHEAD = "masthead", "报头"
    MANIFEST = "manifest", "清单"
    OPTION = "option", "命令参数"
    ESTIMATED = "estimated", "据正文推测"
    UNKNOWN = "unknown", "未知"


# Best evidence first: one page whose masthead prints the date settles its issue's.
DATE_SOURCE_RANK = [DateSource.MASTHEAD, DateSource.MANIFEST, DateSource.OPTION, DateSource.ESTIMATED,
                    DateSource.UNKNOWN]


class Page(models.Model):
    issue = models.ForeignKey(
        Issue, verbose_name="期", null=True, blank=True, on_delete=models.PROTECT, related_name="pages"
    )
    label = models.CharField("版次", max_length=12, blank=True, help_text="如印刷所示：C1、1、11")
    sort_key = models.PositiveIntegerField("排序", default=0, editable=False)
    edition = models.CharField("版别", max_length=40, blank=True, help_text="如“平湖版”")
    section = models.CharField("版名", max_length=80, blank=True, help_text="如“经济创新·深度”")
    editor = models.CharField("编辑", max_length=40, blank=True)
    designer = models.CharField("版式", max_length=40, blank=True)
    proofreader = models.CharField("校对", max_length=40, blank=True)
    masthead = models.JSONField("报头", default=dict, blank=True)
    source_name = models.CharField("来源文件", max_length=255, unique=True)
    content_hash = models.CharField("内容摘要", max_length=64, db_index=True)
    raw_text = models.TextField("原文")
    leftover_text = models.TextField("未归入文章的文字", blank=True)
    orphan_bylines = models.JSONField("无主署名", default=list, blank=True)
    date_source = models.CharField(
        "日期来源", max_length=12, choices=DateSource.choices, default=DateSource.UNKNOWN
    )
    needs_review = models.BooleanField("待复核", default=False, db_index=True)
    review_reasons = models.JSONField("复核原因", default=list, blank=True)
    # The manifest row's note on this file ("Inferred from content… Verify
    # against the print archive"): shown with the date wherever it is shown.
    import_note = models.TextField("清单备注", blank=True)
    # The import run that last wrote this page, so staff can check one
    # import's guesses together.
    import_run = models.CharField("导入批次", max_length=32, blank=True, db_index=True, editable=False)
    edited_fields = models.JSONField("人工修改的字段", default=list, blank=True, editable=False)
    # Set when staff split, merge or move paragraphs between the page's
    # articles: re-import then keeps their segmentation (importing/pinning.py).
    segmentation_pinned = models.BooleanField("分段已人工固定", default=False, editable=False)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["issue__date", "sort_key", "label"]
        verbose_name = "版面"
        verbose_name_plural = "版面"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "label"],
                condition=Q(issue__isnull=False) & ~Q(label=""),
                name="page_label_unique_in_issue",
            ),
        ]

    def __str__(self):
        where = str(self.issue.date) if self.issue_id else "日期不详"
        return f"{where} 第{self.label or '?'}版"

    def save(self, *args, **kwargs):
        self.sort_key = page_sort_key(self.label)
        super().save(*args, **kwargs)

    @property
    def label_cn(self):
        """The page as readers name it: 第C1版, or 版次不详 when no label is known."""
        return f"第{self.label}版" if self.label else "版次不详"

    def get_absolute_url(self):
        if not self.issue_id or not self.label:
            return reverse("page_by_id", kwargs={"pk": self.pk})
        return reverse("page", kwargs={"date": self.issue.date.isoformat(), "label": self.label})


def page_sort_key(label):
    """C1 < C2 < C10 < D1; plain numbers sort among themselves."""
    match = re.fullmatch(r"([A-Za-z]?)0*(\d+)", label or "")
    if not match:
        return 0
    letter, number = match.groups()
    letter_rank = ord(letter.upper()) - ord("A") + 1 if letter else 0
    return letter_rank * 1000 + int(number)


class ReviewLevel(models.TextChoices):
    """What a wrong guess would cost a reader (articles/parsing/guesses.py)."""

    MUST = "must", "须复核"
    MAY = "may", "可复核"


class Kind(models.TextChoices):
    NEWS = "news", "消息"
    COMMENTARY = "commentary", "评论"
    PHOTO = "photo", "图片新闻"
    INTERVIEW = "interview", "访谈"
    FEATURE = "feature", "通讯"
    SIDEBAR = "sidebar", "链接"
    BRIEF = "brief", "简讯"


class Article(models.Model):
    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveSmallIntegerField("版内序号", help_text="在版面上的阅读顺序，从 1 起")
    kind = models.CharField("体裁", max_length=12, choices=Kind.choices, default=Kind.NEWS)
    column = models.CharField("栏目", max_length=80, blank=True)
    kicker = models.CharField("引题", max_length=200, blank=True)
    title = models.CharField("主题", max_length=200)
    subtitle = models.CharField("副题", max_length=200, blank=True)
    lead = models.TextField("导语/核心提示", blank=True)
    dateline = models.CharField("电头", max_length=20, blank=True, help_text="如“本报讯”")
    byline = models.TextField(
        "署名原文", blank=True, help_text="署名行如印刷所示；身份或姓名无法识别的文字留在这里，不建人物"
    )
    body = models.TextField("正文", blank=True, help_text="段落之间空一行；小标题单独成段")
    blocks = models.JSONField("正文结构", default=list, blank=True, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name="所属文章", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="sidebars", help_text="链接、采访札记等所属的主文",
    )
    continued_to = models.CharField("下转", max_length=12, blank=True)
    continued_from = models.CharField("上接", max_length=12, blank=True)
    continuation = models.ForeignKey(
        "self", verbose_name="续文", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="continued_by",
    )
    # needs_review is 须复核: a guess that could misplace or lose text or
    # credit. review_level says it in words and adds 可复核 (cosmetic guesses).
    needs_review = models.BooleanField("须复核", default=False, db_index=True)
    review_level = models.CharField(
        "复核级别", max_length=4, choices=ReviewLevel.choices, blank=True, db_index=True, editable=False)
    review_reasons = models.JSONField("复核原因", default=list, blank=True)
    # Keys of reasons staff checked (guesses.reason_key): those no longer count.
    cleared_reasons = models.JSONField("已核对的原因", default=list, blank=True, editable=False)
    # [[first, last], ...] line numbers (0-based, inclusive) of the page's
    # raw text the article was read from; several when it is interrupted.
    source_spans = models.JSONField("原文位置", default=list, blank=True, editable=False)
    edited_fields = models.JSONField("人工修改的字段", default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["page__issue__date", "page__sort_key", "page_id", "position"]
        verbose_name = "文章"
        verbose_name_plural = "文章"
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="article_position_unique_on_page"),
            models.CheckConstraint(condition=Q(position__gte=1), name="article_position_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~Q(continuation=models.F("id")), name="article_not_own_continuation"),
            models.CheckConstraint(
                condition=Q(needs_review=True, review_level=ReviewLevel.MUST)
                | (Q(needs_review=False) & ~Q(review_level=ReviewLevel.MUST)),
                name="article_needs_review_is_must_level",
            ),
        ]

    def save(self, *args, **kwargs):
        # Staff tick or untick 须复核 on the form; the level follows the tick.
        if self.needs_review:
            self.review_level = ReviewLevel.MUST
        elif self.review_level == ReviewLevel.MUST:
            self.review_level = ""
        super().save(*args, **kwargs)

    def __str__(self):
        return self.title

    @property
    def headline(self):
        return " ".join(part for part in (self.kicker, self.title, self.subtitle) if part)

    def get_absolute_url(self):
        """Where the article is read now: its dated place, which a split or merge may change."""
        page = self.page
        if not page.issue_id or not page.label:
            return self.get_permanent_url()
        return reverse(
            "article",
            kwargs={"date": page.issue.date.isoformat(), "label": page.label, "position": self.position},
        )

    def get_permanent_url(self):
        """The address that always names this article (or, once merged, the one holding its text)."""
        return reverse("article_by_id", kwargs={"pk": self.pk})


class FormerAddress(models.Model):
    """The article a dated address (date, page, place) named first.

    Recorded before staff move articles (split, merge, a changed position,
    page or date), so an address cited earlier still reaches its article
    rather than whichever one holds that place now (articles/addresses.py).
    """

    date = models.DateField("出版日期")
    label = models.CharField("版次", max_length=12)
    position = models.PositiveSmallIntegerField("版内序号")
    # No foreign key: the article may since have been merged away (ArticleSuccessor follows it).
    article_id = models.BigIntegerField("文章编号", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "旧地址"
        verbose_name_plural = "旧地址"
        constraints = [
            models.UniqueConstraint(fields=["date", "label", "position"], name="former_address_unique"),
        ]

    def __str__(self):
        return f"{self.date}/{self.label}/{self.position} → {self.article_id}"


class FormerPageAddress(models.Model):
    """A dated page address (date, label) a page had before staff changed its date or label."""

    date = models.DateField("出版日期")
    label = models.CharField("版次", max_length=12)
    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE, related_name="former_addresses")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "版面旧地址"
        verbose_name_plural = "版面旧地址"
        constraints = [
            models.UniqueConstraint(fields=["date", "label"], name="former_page_address_unique"),
        ]

    def __str__(self):
        return f"{self.date}/{self.label} → {self.page_id}"


class ArticleSuccessor(models.Model):
    """An article merged into another: its id leads to the article holding its text now."""

    old_id = models.BigIntegerField("原文章编号", unique=True)
    article = models.ForeignKey(Article, verbose_name="现在所在的文章", on_delete=models.CASCADE,
                                related_name="predecessors")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "并入记录"
        verbose_name_plural = "并入记录"

    def __str__(self):
        return f"{self.old_id} → {self.article_id}"


class PersonKind(models.TextChoices):
    PERSON = "person", "个人"
    PEN_NAME = "pen_name", "笔名"
    INSTITUTION = "institution", "机构署名"


class Person(models.Model):
    name = models.CharField("姓名", max_length=40, unique=True, validators=[validate_no_spaces])
    kind = models.CharField("类型", max_length=12, choices=PersonKind.choices, default=PersonKind.PERSON)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "人物"
        verbose_name_plural = "人物"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person", kwargs={"pk": self.pk})


class PersonAlias(models.Model):
    """Another spelling of a person: a merged duplicate or an old name.

    The importer resolves names through aliases, so a merge or rename done by
    staff survives every later re-import.
    """

    name = models.CharField("别名", max_length=40, unique=True, validators=[validate_no_spaces])
    person = models.ForeignKey(Person, verbose_name="人物", on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["name"]
        verbose_name = "别名"
        verbose_name_plural = "别名"

    def __str__(self):
        return f"{self.name} → {self.person.name}"

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    REPORTER = "reporter", "记者"
    TRAINEE_REPORTER = "trainee_reporter", "见习记者"
    CORRESPONDENT = "correspondent", "通讯员"
    PHOTOGRAPHER = "photographer", "摄影"
    CARTOONIST = "cartoonist", "漫画"
    COMMENTATOR = "commentator", "评论员"
    AUTHOR = "author", "作者"
    ADVISOR = "advisor", "指导老师"


class Credit(models.Model):
    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, verbose_name="人物", on_delete=models.PROTECT, related_name="credits")
    role = models.CharField("身份", max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField("顺序", default=1)

    class Meta:
        ordering = ["article", "order", "id"]
        verbose_name = "署名"
        verbose_name_plural = "署名"
        constraints = [
            models.UniqueConstraint(fields=["article", "person", "role"], name="credit_unique_per_role"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.name}"


class PageRole(models.TextChoices):
    EDITOR = "editor", "编辑"
    DESIGNER = "designer", "版式"
    PROOFREADER = "proofreader", "校对"


class PageCredit(models.Model):
    """A page's printed staff (编辑, 版式, 校对) as people, kept in step with
    the page's own fields on every save of the page (articles/page_staff.py)."""

    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE, related_name="staff_credits")
    person = models.ForeignKey(Person, verbose_name="人物", on_delete=models.PROTECT, related_name="page_credits")
    role = models.CharField("职责", max_length=12, choices=PageRole.choices)

    class Meta:
        ordering = ["page", "role"]
        verbose_name = "版面署名"
        verbose_name_plural = "版面署名"
        constraints = [
            models.UniqueConstraint(fields=["page", "role"], name="page_credit_one_per_role"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.name}"


class IndexTask(models.Model):
    """An article whose search document must be rewritten (or removed).

    Written in the same transaction as the edit that caused it, so a committed
    edit always leaves its task behind; whichever process holds the index's
    writer lock drains the queue (articles/search/sync.py).
    """

    article_id = models.BigIntegerField("文章编号", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "索引任务"
        verbose_name_plural = "索引任务"

    def __str__(self):
        return f"index article {self.article_id}"


class ChangeAction(models.TextChoices):
    ADD = "add", "新增"
    CHANGE = "change", "修改"
    DELETE = "delete", "删除"
    MERGE = "merge", "合并"
    RENAME = "rename", "改名"
    REVIEW = "review", "标记已复核"
    SPLIT = "split", "拆分"
    MOVE = "move", "移动段落"


class ChangeRecord(models.Model):
    """Old and new values of one staff edit.

    Django's LogEntry keeps who and when but only the names of changed
    fields; staff correcting the archive need to see what a value was.
    """

    user = models.ForeignKey(
        "auth.User", verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="archive_changes",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="对象类型", on_delete=models.CASCADE,
    )
    object_id = models.CharField("对象编号", max_length=40, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    # [{"field": name, "label": verbose name, "old": text, "new": text}]
    changes = models.JSONField("改动", default=list, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"


class PlaceKind(models.TextChoices):
    CITY = "city", "市"
    SUBDISTRICT = "subdistrict", "街道"
    TOWN = "town", "镇"
    FORMER_TOWN = "former_town", "原乡镇"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"
    ZONE = "zone", "开发区/园区"
    SCENIC = "scenic", "景区"
    PORT = "port", "港区"


# The town level: a place page, the places index and the 地点 field group by these.
TOWN_KINDS = (PlaceKind.SUBDISTRICT, PlaceKind.TOWN)


class PlaceQuerySet(models.QuerySet):
    def named(self, name):
        """The place ``name`` stands for, by its name or an alias (独山港 -> 独山港镇), or None."""
        name = normalize_name(name)
        return self.filter(Q(name=name) | Q(aliases__name=name)).order_by(
            # Its own name wins over another place's alias of the same spelling.
            models.Case(models.When(name=name, then=0), default=1)).first()


class Place(models.Model):
    """A place of the gazetteer (articles/places/gazetteer.json): a town, a village, a zone."""

    name = models.CharField("地名", max_length=40, unique=True, validators=[validate_no_spaces])
    kind = models.CharField("类型", max_length=12, choices=PlaceKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    note = models.TextField("备注", blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "地点"
        verbose_name_plural = "地点"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="place_name_not_empty"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="place_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("place", kwargs={"pk": self.pk})

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "上级不能是此地点自己或它的下级。"})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class PlaceAlias(models.Model):
    """Another name the paper prints for a place: a short form (新仓), a former name (黄姑镇 is not one: it is a place)."""

    name = models.CharField("别名", max_length=40, unique=True, validators=[validate_no_spaces])
    place = models.ForeignKey(Place, verbose_name="地点", on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["name"]
        verbose_name = "地名别名"
        verbose_name_plural = "地名别名"

    def __str__(self):
        return f"{self.name} → {self.place.name}"

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)


class ArticlePlace(models.Model):
    """A place an article names, and how often (articles/places/mentions.py keeps these in step with the text)."""

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="article_places")
    place = models.ForeignKey(Place, verbose_name="地点", on_delete=models.CASCADE, related_name="article_places")
    mentions = models.PositiveIntegerField("提及次数")

    class Meta:
        ordering = ["article", "-mentions", "place__name"]
        verbose_name = "文章地点"
        verbose_name_plural = "文章地点"
        constraints = [
            models.UniqueConstraint(fields=["article", "place"], name="article_place_unique"),
            models.CheckConstraint(condition=Q(mentions__gte=1), name="article_place_mentioned"),
        ]

    def __str__(self):
        return f"{self.place.name} ×{self.mentions}"
