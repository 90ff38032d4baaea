"""Admin forms: validation with messages staff can act on, in Chinese."""

from django import forms
from django.core.exceptions import ValidationError

from articles.models import Article, Credit, Issue, Page, Person, PersonAlias, normalize_name

DATE_MESSAGE = "日期不存在或格式不对：请按“2024-01-31”的格式填写一个真实存在的日期。"


def as_submitted(text):
    """Text as a browser's textarea sends it back, with that round trip undone.

    Browsers turn every line break into CRLF, and a form field drops the
    ends' whitespace; trailing spaces on a line are invisible in the box.
    Two texts equal after this are the same text to the person editing.
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


class MultilineField(forms.CharField):
    """A textarea field that counts as changed only when its text really changed.

    Saving a form untouched must not turn the stored text into its CRLF
    copy and mark it a staff edit: re-import would then keep the old parse
    forever. An unchanged value is handed back exactly as stored.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return as_submitted(initial) != as_submitted(self.to_python(data))


class KeepsUnchangedText:
    """Form mixin: unchanged multiline fields keep their stored value byte for byte."""

    def _post_clean(self):
        for name, field in self.fields.items():
            if isinstance(field, MultilineField) and name in self.cleaned_data and name not in self.changed_data:
                self.cleaned_data[name] = self.get_initial_for_field(field, name) or ""
        super()._post_clean()


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["date", "number", "lunar_date", "weekday"]
        error_messages = {
            "date": {"invalid": DATE_MESSAGE, "required": "请填写出版日期。",
                     "unique": "这一天已有一期报纸。"},
            "number": {"unique": "这个总期号已属于另一期。"},
        }


class PageForm(KeepsUnchangedText, forms.ModelForm):
    """A page is moved to another day by typing the date; the issue is found or created."""

    issue_date = forms.DateField(
        label="出版日期", required=False,
        error_messages={"invalid": DATE_MESSAGE},
        help_text="改为另一天即把本版移到那一期（没有则新建）；留空表示日期不详。",
    )

    class Meta:
        model = Page
        fields = ["issue_date", "label", "edition", "section", "editor", "designer", "proofreader",
                  "leftover_text", "needs_review"]
        field_classes = {"leftover_text": MultilineField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.issue_id:
            self.initial.setdefault("issue_date", self.instance.issue.date)

    def clean(self):
        cleaned = super().clean()
        day, label = cleaned.get("issue_date"), cleaned.get("label")
        if day and label:
            clash = Page.objects.filter(issue__date=day, label=label).exclude(pk=self.instance.pk).first()
            if clash is not None:
                raise ValidationError(f"{day} 的第 {label} 版已存在（文件 {clash.source_name}），不能再放一版。")
        return cleaned

    def _post_clean(self):
        # The issue must be set before model validation checks the page's constraints.
        if "issue_date" not in self.errors:
            day = self.cleaned_data.get("issue_date")
            if day is None:
                self.instance.issue = None
            elif not (self.instance.issue_id and self.instance.issue.date == day):
                self.instance.issue = Issue.objects.filter(date=day).first() or Issue(date=day)
        super()._post_clean()

    def save(self, commit=True):
        issue = self.instance.issue
        if issue is not None and issue.pk is None:
            issue.save()
            self.instance.issue = issue
        return super().save(commit)


class ArticleForm(KeepsUnchangedText, forms.ModelForm):
    class Meta:
        model = Article
        fields = ["page", "position", "kind", "column", "kicker", "title", "subtitle", "lead", "dateline",
                  "body", "parent", "continued_from", "continued_to", "continuation", "needs_review"]
        error_messages = {
            "title": {"required": "标题（主题）不能为空。"},
            "page": {"required": "请选择文章所在的版面。"},
            "position": {"required": "请填写版内序号（从 1 起）。"},
        }
        field_classes = {"lead": MultilineField, "body": MultilineField}
        widgets = {
            # The paper's longest headlines run past 40 characters.
            "kicker": forms.TextInput(attrs={"class": "vTextField phnews-headline"}),
            "title": forms.TextInput(attrs={"class": "vTextField phnews-headline"}),
            "subtitle": forms.TextInput(attrs={"class": "vTextField phnews-headline"}),
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField phnews-body"}),
        }

    def clean_title(self):
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise ValidationError("标题（主题）不能为空。")
        return title

    def clean_position(self):
        position = self.cleaned_data.get("position")
        if position is not None and position < 1:
            raise ValidationError("版内序号从 1 起。")
        return position

    def clean(self):
        cleaned = super().clean()
        page, position = cleaned.get("page"), cleaned.get("position")
        if page is not None and position:
            clash = Article.objects.filter(page=page, position=position).exclude(pk=self.instance.pk).first()
            if clash is not None:
                raise ValidationError(f"{page} 上第 {position} 篇已是《{clash.title}》，请换一个版内序号。")
        continuation = cleaned.get("continuation")
        if continuation is not None and self.instance.pk and continuation.pk == self.instance.pk:
            self.add_error("continuation", "文章不能是自己的续文。")
        parent = cleaned.get("parent")
        if parent is not None and self.instance.pk and parent.pk == self.instance.pk:
            self.add_error("parent", "文章不能属于自己。")
        return cleaned


class CreditForm(forms.ModelForm):
    class Meta:
        model = Credit
        fields = ["person", "role", "order"]
        error_messages = {
            "person": {"required": "每条署名都要选择一位人物。", "invalid_choice": "所选人物不存在。"},
            "role": {"required": "请选择署名身份（记者、通讯员等）。"},
        }


class CreditFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty row offered for one more byline continues the numbering
        # instead of defaulting to 1 beside the first byline's 1.
        following = max((credit.order for credit in self.get_queryset()), default=0) + 1
        self.initial_extra = [{"order": following + n} for n in range(self.extra)]

    @property
    def empty_form(self):
        form = super().empty_form
        form.initial["order"] = max((credit.order for credit in self.get_queryset()), default=0) + 1 + self.extra
        return form

    def clean(self):
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            person, role = form.cleaned_data.get("person"), form.cleaned_data.get("role")
            if person is None or not role:
                continue
            if (person.pk, role) in seen:
                role_name = dict(Credit._meta.get_field("role").choices)[role]
                raise ValidationError(f"“{person.name}”以“{role_name}”身份署名了两次，请删去重复的一条。")
            seen[(person.pk, role)] = form
        super().clean()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "kind", "note"]
        error_messages = {
            "name": {"required": "姓名不能为空。", "unique": "已有同名的人物；如是同一人，请用“合并”。"},
        }

    def clean_name(self):
        raw = self.cleaned_data.get("name") or ""
        name = normalize_name(raw)
        if not name:
            raise ValidationError("姓名不能为空。")
        if name != raw.strip():
            raise ValidationError("姓名中不能含空格（排版空格不属于姓名）。")
        other = Person.objects.filter(name=name).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise ValidationError(f"已有名为“{name}”的人物；如是同一人，请在人物列表中选中二者，用“合并所选人物”。")
        alias = PersonAlias.objects.filter(name=name).exclude(person_id=self.instance.pk).select_related("person").first()
        if alias is not None:
            raise ValidationError(f"“{name}”已是“{alias.person.name}”的别名；如是同一人，请合并。")
        return name


class MergeForm(forms.Form):
    """Choosing which of the selected people survives a merge."""

    winner = forms.ModelChoiceField(
        queryset=Person.objects.none(), widget=forms.RadioSelect, label="保留哪一位",
        error_messages={"required": "请选择合并后保留的人物。"},
    )

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winner"].queryset = people


class AliasForm(forms.ModelForm):
    class Meta:
        model = PersonAlias
        fields = ["name", "person"]
        error_messages = {"name": {"required": "别名不能为空。", "unique": "这个别名已属于某位人物。"}}

    def clean_name(self):
        raw = self.cleaned_data.get("name") or ""
        name = normalize_name(raw)
        if not name:
            raise ValidationError("别名不能为空。")
        # The importer prefers an alias over a same-named person, so such an
        # alias would silently take all of that person's future credits.
        if Person.objects.filter(name=name).exists():
            raise ValidationError(f"已有名为“{name}”的人物；如是同一人，请用“合并所选人物”。")
        return name
