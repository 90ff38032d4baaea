"""Admin for the gazetteer: add a place or an alias, move a place (its parent), merge places.

Every change re-finds the places of the articles that name the changed
names and queues them for the search index (places/mentions.py).
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import ChangeAction, Place, PlaceAlias
from articles.places.mentions import gazetteer_changed
from articles.places.ops import merge_places

from . import history
from .forms import MergeForm
from .tracking import TrackedAdmin


class PlaceAliasInline(admin.TabularInline):
    model = PlaceAlias
    fields = ["name"]
    extra = 1
    verbose_name_plural = "别名（报纸上的简称、旧名，导入时都归到此地点）"


@admin.action(description="合并所选地点（其余地名记为保留地点的别名）", permissions=["change"])
def merge_selected(modeladmin, request, queryset):
    places = queryset.order_by("name")
    if places.count() < 2:
        modeladmin.message_user(request, "请至少勾选两个地点再合并。", messages.WARNING)
        return None
    if "merge" in request.POST:
        form = MergeForm(places, request.POST)
        if form.is_valid():
            winner = form.cleaned_data["winner"]
            losers = [p for p in places if p.pk != winner.pk]
            for loser in losers:
                history.record(request.user, loser, ChangeAction.MERGE,
                               [{"field": "place", "label": "地点", "old": loser.name, "new": winner.name}],
                               note=f"并入“{winner.name}”，原名记为别名", repr_text=loser.name)
            names = "、".join(p.name for p in losers)
            changed = merge_places(winner, losers)
            summary = f"{names} 并入 {winner.name}，{len(changed)} 篇文章的地点已更新"
            history.record(request.user, winner, ChangeAction.MERGE, note=summary)
            modeladmin.message_user(request, summary, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_place_change", args=[winner.pk]))
    else:
        form = MergeForm(places, initial={"winner": places.annotate(n=Count("article_places")).order_by("-n", "name").first()})
    form.fields["winner"].label = "保留哪一个"
    form.fields["winner"].error_messages["required"] = "请选择合并后保留的地点。"
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "合并地点",
        "opts": Place._meta,
        "form": form,
        "places": places.select_related("parent").annotate(article_total=Count("article_places"))
        .prefetch_related("aliases"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/place/merge.html", context)


@admin.register(Place)
class PlaceAdmin(TrackedAdmin):
    list_display = ["name", "kind", "parent", "alias_list", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [PlaceAliasInline]
    actions = [merge_selected]

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("parent").prefetch_related("aliases")
                .annotate(article_total=Count("article_places", distinct=True)))

    @admin.display(description="别名")
    def alias_list(self, obj):
        return "、".join(alias.name for alias in obj.aliases.all()) or "—"

    @admin.display(description="文章数", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    def related_snapshot(self, obj):
        return {"aliases": "、".join(PlaceAlias.objects.filter(place=obj).order_by("name").values_list("name", flat=True))}

    def save_model(self, request, obj, form, change):
        old = Place.objects.filter(pk=obj.pk).values_list("name", flat=True).first() if change else None
        request._place_names = [n for n in (old, obj.name) if n]
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        before = set(PlaceAlias.objects.filter(place=form.instance).values_list("name", flat=True))
        super().save_related(request, form, formsets, change)
        after = set(PlaceAlias.objects.filter(place=form.instance).values_list("name", flat=True))
        # A moved place changes its articles' towns in search; a new or dropped name changes what is found.
        gazetteer_changed(names=[*getattr(request, "_place_names", ()), *(before ^ after)], places=[form.instance])

    def delete_model(self, request, obj):
        names = [obj.name, *obj.aliases.values_list("name", flat=True)]
        super().delete_model(request, obj)
        gazetteer_changed(names=names)

    def delete_queryset(self, request, queryset):
        names = [*queryset.values_list("name", flat=True), *PlaceAlias.objects.filter(place__in=queryset)
                 .values_list("name", flat=True)]
        super().delete_queryset(request, queryset)
        gazetteer_changed(names=names)


@admin.register(PlaceAlias)
class PlaceAliasAdmin(TrackedAdmin):
    fields = ["name", "place"]
    list_display = ["name", "place"]
    list_select_related = ["place"]
    search_fields = ["name", "place__name"]
    autocomplete_fields = ["place"]

    def save_model(self, request, obj, form, change):
        old = PlaceAlias.objects.filter(pk=obj.pk).values_list("name", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        gazetteer_changed(names=[n for n in (old, obj.name) if n])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        gazetteer_changed(names=[obj.name])

    def delete_queryset(self, request, queryset):
        names = list(queryset.values_list("name", flat=True))
        super().delete_queryset(request, queryset)
        gazetteer_changed(names=names)
