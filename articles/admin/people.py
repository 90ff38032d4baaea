"""Admin for people: find, rename (old name kept as an alias) and merge."""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles.models import ChangeAction, Person, PersonAlias

from . import history
from .forms import AliasForm, MergeForm, PersonForm
from .people_ops import merge_people, rename_person
from .tracking import TrackedAdmin


class AliasInline(admin.TabularInline):
    model = PersonAlias
    form = AliasForm
    fields = ["name"]
    extra = 0
    verbose_name_plural = "别名（导入时这些写法都归到此人）"


@admin.action(description="合并所选人物（保留全部署名）", permissions=["change"])
def merge_selected(modeladmin, request, queryset):
    people = queryset.order_by("name")
    if people.count() < 2:
        modeladmin.message_user(request, "请至少勾选两位人物再合并。", messages.WARNING)
        return None
    if "merge" in request.POST:
        form = MergeForm(people, request.POST)
        if form.is_valid():
            winner = form.cleaned_data["winner"]
            losers = [p for p in people if p.pk != winner.pk]
            snapshot = [(loser, loser.credits.count()) for loser in losers]
            outcome = merge_people(winner, losers)
            for loser, credit_total in snapshot:
                history.record(
                    request.user, loser, ChangeAction.MERGE,
                    [{"field": "person", "label": "人物", "old": loser.name, "new": winner.name}],
                    note=f"{credit_total} 条署名并入“{winner.name}”，原名记为别名", repr_text=loser.name,
                )
            history.record(request.user, winner, ChangeAction.MERGE, note=outcome.summary)
            modeladmin.message_user(request, outcome.summary, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_person_change", args=[winner.pk]))
    else:
        form = MergeForm(people, initial={"winner": people.annotate(n=Count("credits")).order_by("-n", "name").first()})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "合并人物",
        "opts": Person._meta,
        "form": form,
        "people": people.annotate(credit_total=Count("credits")).prefetch_related("aliases"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/person/merge.html", context)


@admin.register(Person)
class PersonAdmin(TrackedAdmin):
    form = PersonForm
    list_display = ["name", "kind", "credit_count", "alias_list", "articles_link"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    inlines = [AliasInline]
    actions = [merge_selected]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(credit_total=Count("credits", distinct=True)).prefetch_related("aliases").order_by("name")

    @admin.display(description="署名数", ordering="credit_total")
    def credit_count(self, obj):
        return obj.credit_total

    @admin.display(description="别名")
    def alias_list(self, obj):
        return "、".join(alias.name for alias in obj.aliases.all()) or "—"

    @admin.display(description="文章")
    def articles_link(self, obj):
        url = reverse("admin:articles_article_changelist") + f"?person={obj.pk}"
        return format_html("<a href='{}'>查看文章</a>", url)

    def related_snapshot(self, obj):
        return {"aliases": "、".join(PersonAlias.objects.filter(person=obj).order_by("name").values_list("name", flat=True))}

    def save_model(self, request, obj, form, change):
        old_name = Person.objects.filter(pk=obj.pk).values_list("name", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if change and old_name != obj.name:
            rename_person(obj, old_name)
            history.record(
                request.user, obj, ChangeAction.RENAME,
                [{"field": "name", "label": "姓名", "old": old_name, "new": obj.name}],
                note=f"原名“{old_name}”记为别名",
            )


@admin.register(PersonAlias)
class PersonAliasAdmin(TrackedAdmin):
    form = AliasForm
    list_display = ["name", "person"]
    list_select_related = ["person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]
