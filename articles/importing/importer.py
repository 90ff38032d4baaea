"""Importing one page file: stored whole, replaced with staff edits kept, or refused.

A run (ImportRun) imports files one at a time, each inside its own
transaction, and collects what happened for the command's summary.
"""

import datetime
import functools
from collections import Counter
import hashlib
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from articles.browse.cache import archive_changed
from articles.models import Article, Credit, DateSource, Issue, Page
from articles.parsing.guesses import classify
from articles.places import mentions

from . import search_hook
from .continuations import link_continuations
from .dates import decide_date
from .decoding import RejectedFile, text_warnings
from .limits import check_article_count, read_page_text
from .manifest import ManifestError, ManifestFinder
from .mapping import ARTICLE_FIELDS, article_values, credit_roles, page_values, set_reasons
from .matching import Candidate, match_articles
from .people import PeopleResolver
from .prefetch import Prefetch
from .sources import RefusedSource

logger = logging.getLogger(__name__)

# What a staff edit of a model field also protects.
_ARTICLE_EDIT_IMPLIES = {"body": {"blocks", "source_spans"}, "needs_review": {"review_reasons", "review_level"}}
_PAGE_EDIT_IMPLIES = {"needs_review": {"review_reasons"}, "issue": {"date_source"}}


@functools.lru_cache(maxsize=16)
def _parse(text):
    """parse_page is pure, so a text seen again (re-import, tests) is not re-read.

    Imported late so that the command module loads even while the parser
    package is being reworked; a broken parser then rejects files clearly.
    The records are only read here, never changed, so sharing them is safe.
    """
    from articles.parsing import parse_page

    return parse_page(text)


def content_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ImportOptions:
    date: datetime.date | None = None
    page: str = ""
    manifest: Path | None = None
    dry_run: bool = False
    reparse: bool = False  # re-parse unchanged files (after a parser fix)
    keep_copy: bool = True


@dataclass
class FileResult:
    path: Path
    status: str  # new, updated, unchanged, rejected
    reason: str = ""
    page_id: int | None = None
    issue_date: datetime.date | None = None
    label: str = ""
    date_source: str = ""
    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0
    articles_total: int = 0
    people_created: list[str] = field(default_factory=list)
    page_flagged: bool = False
    articles_flagged: int = 0  # 须复核
    articles_may: int = 0  # 可复核 only
    reason_counts: Counter = field(default_factory=Counter)  # (key, level): articles with such a reason
    kept: list[str] = field(default_factory=list)  # staff edits kept, in words
    changed_ids: list[int] = field(default_factory=list)
    removed_ids: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    page_reasons: list[str] = field(default_factory=list)


class _Refused(Exception):
    """Raised inside a file's transaction to roll it back with a reason."""


class ImportRun:
    def __init__(self, options: ImportOptions | None = None):
        self.options = options or ImportOptions()
        # Names this run on the pages it writes: staff check one import's guesses together.
        self.run_id = timezone.now().strftime("%Y-%m-%d %H:%M:%S.%f")
        self.results: list[FileResult] = []
        # Per folder, {date: file name} of pages whose date was printed or
        # listed: evidence for the undated pages of the same folder.
        self._folder_dates: dict[Path, dict] = {}
        self._seen_names: dict[str, Path] = {}
        self.manifest_error = None
        try:
            self.finder = ManifestFinder(self.options.manifest)
        except ManifestError as error:
            # An explicit manifest that cannot be read makes every file suspect.
            self.finder = None
            self.manifest_error = str(error)

    # -- one file ---------------------------------------------------------

    def import_file(self, path: Path, root: Path | None = None, parsed_ahead=None) -> FileResult:
        """Import one file; ``parsed_ahead(digest)`` may give its record parsed by a worker (prefetch.py)."""
        path = Path(path)
        result = self._import_file(path, Path(root) if root else path, parsed_ahead)
        self.results.append(result)
        if result.issue_date and result.date_source in (DateSource.MASTHEAD, DateSource.MANIFEST):
            self._folder_dates.setdefault(path.parent.resolve(), {}).setdefault(result.issue_date, path.name)
        return result

    def _import_file(self, path, root, parsed_ahead=None):
        name = path.name
        earlier = self._seen_names.get(name)
        if earlier is not None and earlier.resolve() != path.resolve():
            return FileResult(path, "rejected", f"与同批文件 {earlier} 同名：版面以文件名为准，不能区分")
        self._seen_names[name] = path
        if self.manifest_error:
            return FileResult(path, "rejected", self.manifest_error)
        try:
            data, text = read_page_text(path, root)
        except (RefusedSource, RejectedFile) as error:
            return FileResult(path, "rejected", str(error))

        digest = content_hash(text)
        # Ordered by pk: the pages' reading order would join their issues for nothing.
        existing = Page.objects.select_related("issue").filter(source_name=name).order_by("pk").first()
        try:
            entry = self.finder.entry_for(path, root)
        except ManifestError as error:
            return FileResult(path, "rejected", f"清单有误：{error}")
        if (existing is not None and existing.content_hash == digest and not self.options.reparse
                and not self._date_corrected(existing, entry)):
            return FileResult(
                path, "unchanged", page_id=existing.pk, issue_date=existing.issue.date if existing.issue_id else None,
                label=existing.label, date_source=existing.date_source,
            )
        twin = (Page.objects.filter(content_hash=digest).exclude(source_name=name).order_by("pk")
                .values_list("source_name", flat=True).first())
        if twin is not None:
            return FileResult(path, "rejected", f"内容与已导入的文件 {twin} 完全相同")
        try:
            record = (parsed_ahead and parsed_ahead(digest)) or _parse(text)
        except Exception as error:  # the parser must never take the whole run down
            logger.exception("parser failed on %s", path)
            return FileResult(path, "rejected", f"解析失败：{type(error).__name__}: {error}")
        try:
            check_article_count(record)
        except RejectedFile as error:
            return FileResult(path, "rejected", str(error))

        decision = decide_date(record, text, entry, self.options.date, self.options.page,
                               neighbours=self._folder_dates.get(path.parent.resolve()))
        people = PeopleResolver()
        result = FileResult(path, "updated" if existing else "new")
        try:
            with transaction.atomic():
                _store(result, existing, name, text, digest, record, decision, people, self.run_id)
        except _Refused as error:
            people.forget()
            return FileResult(path, "rejected", str(error))
        except Exception as error:
            people.forget()
            logger.exception("import failed on %s", path)
            return FileResult(path, "rejected", f"写入失败，未存入任何内容：{type(error).__name__}: {error}")
        result.people_created = [person.name for person in people.created]
        if not self.options.dry_run and self.options.keep_copy:
            _keep_copy(data, digest)
        return result

    def _date_corrected(self, page, entry):
        """An unchanged file whose manifest or --date now says another day.

        The archivist corrects the manifest and runs the import again; that
        must move the page even though its text did not change. A printed
        masthead date or a staff-set issue is never overridden this way.
        """
        if page.date_source == DateSource.MASTHEAD or "issue" in page.edited_fields:
            return False
        current = page.issue.date if page.issue_id else None
        if entry is not None and entry.date:
            return entry.date != current
        if page.date_source == DateSource.MANIFEST:
            return True  # its manifest row is gone: fall back to option or estimate
        if self.options.date:
            return self.options.date != current
        return False

    # -- many files -------------------------------------------------------

    def import_all(self, files, progress=None):
        """Import [(file, root)]; in a dry run everything is rolled back at the end.

        progress, if given, wraps the iterable (a tqdm bar).
        """
        files = list(files)
        iterable = progress(files) if progress else files
        # One gazetteer read serves many pages (mentions.HELD_MATCHER_SECONDS).
        with search_hook.deferred(), mentions.held(), Prefetch(files, content_hash) as ahead:
            if not self.options.dry_run:
                self._each(iterable, ahead)
                return self.results
            # One outer transaction, so later files see earlier ones (people,
            # issues) exactly as a real run would, and then nothing is kept.
            with transaction.atomic():
                self._each(iterable, ahead)
                transaction.set_rollback(True)
        return self.results

    def _each(self, files, ahead):
        for index, (path, root) in enumerate(files):
            ahead.starting(index)
            self.import_file(path, root, parsed_ahead=functools.partial(ahead.record_for, index))

    def refuse(self, path, reason):
        """Record a file refused before the run could read it (a symlink, say)."""
        self.results.append(FileResult(Path(path), "rejected", reason))

    @property
    def rejected(self):
        return [r for r in self.results if r.status == "rejected"]


def _keep_copy(data, digest):
    """Keep the file as received, by content, so raw files are never lost."""
    try:
        target_dir = Path(settings.PHNEWS_DATA_DIR) / "pages" / digest[:2]
        target = target_dir / f"{digest}.txt"
        if not target.exists():
            target_dir.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(".part")
            temporary.write_bytes(data)
            shutil.move(temporary, target)
    except OSError:
        # The raw text is in Page.raw_text too; a copy that fails is no loss.
        logger.warning("could not keep a copy of page %s", digest, exc_info=True)


# -- storing ---------------------------------------------------------------


def _store(result, page, name, text, digest, record, decision, people, run_id=""):
    values, reasons = page_values(record)
    reasons = decision.reasons + text_warnings(text) + reasons
    old_issue_id = page.issue_id if page else None

    issue, issue_reasons = _issue_for(decision, record, page)
    reasons += issue_reasons
    label = page.label if page is not None and "label" in page.edited_fields else decision.label
    date_source = decision.source
    if issue is not None:
        clash = (Page.objects.filter(issue=issue, label=label).exclude(source_name=name).order_by("pk")
                 .only("source_name").first()) if label else None
        if clash is not None:
            if date_source == DateSource.ESTIMATED:
                reasons.append(f"推测日期 {issue.date} 的第 {label} 版已由 {clash.source_name} 占用，暂不归入任何一期")
                issue, date_source = None, DateSource.UNKNOWN
            else:
                raise _Refused(f"{issue.date} 第 {label} 版已由文件 {clash.source_name} 导入（日期来源：{decision.source}）")

    page_fields = {
        **values,
        "issue": issue,
        "label": label,
        "date_source": date_source,
        "raw_text": text,
        "content_hash": digest,
        "import_note": decision.note,
    }
    changed = True
    created = page is None
    if created:
        page = Page(source_name=name, import_run=run_id, **page_fields)
        page.review_reasons = reasons
        page.needs_review = bool(reasons)
        page.save()
    else:
        edited = _expand(page.edited_fields, _PAGE_EDIT_IMPLIES)
        page_fields["review_reasons"] = reasons
        page_fields["needs_review"] = bool(reasons)
        changed = _assign(page, page_fields, edited)
        kept = sorted(edited & set(page_fields))
        if kept:
            result.kept.append(f"版面：保留人工修改的 {', '.join(kept)}")
        if changed:
            page.save()
    _drop_empty_issue(old_issue_id, page.issue_id)

    with mentions.held():  # _store_articles finds each article's places once, after its credits
        articles = _store_articles(result, page, record, people, created)
    if not created and (changed or result.articles_created or result.articles_updated or result.articles_deleted):
        # The run that last changed the page or its articles answers for their guesses.
        Page.objects.filter(pk=page.pk).update(import_run=run_id)
        page.import_run = run_id

    issues = {page.issue_id, old_issue_id} - {None}
    if created and not any(a.continued_to or a.continued_from for a in articles):
        issues = set()  # a new page that continues nothing and is continued by nothing changes no link
    relinked = []
    for issue_id in issues:
        relinked += link_continuations(issue_id)
    result.changed_ids = sorted(set(result.changed_ids) | set(relinked))
    search_hook.notify(result.changed_ids, result.removed_ids)

    result.page_id = page.pk
    result.issue_date = page.issue.date if page.issue_id else None
    result.label = page.label
    result.date_source = page.date_source
    result.page_flagged = page.needs_review
    result.page_reasons = list(page.review_reasons) if page.needs_review else []


def _issue_for(decision, record, page):
    """The Issue for the decided date (created if new) and reasons to review."""
    reasons = []
    if page is not None and "issue" in page.edited_fields:
        return page.issue, reasons
    if decision.date is None:
        return None, reasons
    issue, _ = Issue.objects.get_or_create(date=decision.date)
    masthead = record.masthead
    if decision.source != DateSource.MASTHEAD or masthead is None:
        return issue, reasons
    # The masthead belongs to this day: its issue number, lunar date, weekday.
    edited = set(issue.edited_fields)
    updates = {}
    for field_name, value in (("lunar_date", masthead.lunar_date), ("weekday", masthead.weekday)):
        if value and field_name not in edited and getattr(issue, field_name) != value:
            if getattr(issue, field_name):
                reasons.append(f"报头的{Issue._meta.get_field(field_name).verbose_name}“{value}”与已有的“{getattr(issue, field_name)}”不同，已更新")
            updates[field_name] = value[: Issue._meta.get_field(field_name).max_length]
    number = masthead.issue_number
    if number and "number" not in edited and issue.number != number:
        other = Issue.objects.filter(number=number).exclude(pk=issue.pk).first()
        if other is not None:
            reasons.append(f"报头期号 总第{number}期 已属于 {other.date} 的那一期，未记入")
        else:
            updates["number"] = number
    if updates:
        for field_name, value in updates.items():
            setattr(issue, field_name, value)
        issue.save()
    return issue, reasons


def _drop_empty_issue(old_issue_id, new_issue_id):
    # A page that moved to another day must not leave a phantom issue behind,
    # unless staff edited that issue.
    if old_issue_id and old_issue_id != new_issue_id:
        Issue.objects.filter(pk=old_issue_id, pages__isnull=True, edited_fields=[]).delete()


def _expand(edited_fields, implies):
    edited = set(edited_fields or ())
    for name in list(edited):
        edited |= implies.get(name, set())
    return edited


def _assign(instance, values, edited):
    """Set the values staff did not edit; return whether anything changed."""
    changed = False
    for name, value in values.items():
        if name in edited:
            continue
        current = getattr(instance, name)
        if name == "issue":
            if (current.pk if current else None) != (value.pk if value else None):
                setattr(instance, name, value)
                changed = True
        elif current != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _store_articles(result, page, record, people, created=False):
    """Store the parse's articles on ``page`` (``created``: inserted just now, so it has none); return them all."""
    old_articles = [] if created else list(page.articles.order_by("position").prefetch_related("credits__person"))
    by_id = {article.pk: article for article in old_articles}
    new_values = []
    for article_record in record.articles:
        values = article_values(article_record)
        credits, credit_reasons = credit_roles(article_record)
        new_values.append((article_record, values, credits, credit_reasons))

    people.prime(name for _, _, credits, _ in new_values for name, _ in credits)
    # Staff split, merged or moved paragraphs on this page (admin/segment_ops.py):
    # their articles and order stand; the parse only updates what it can pair
    # by title or text and staff did not edit.
    pinned = bool(page.pk and page.segmentation_pinned)
    pairs = match_articles(
        [Candidate(a.pk, a.position, a.title, a.body, frozenset(a.edited_fields)) for a in old_articles],
        [Candidate(index, values["position"], values["title"], values["body"])
         for index, (_, values, _, _) in enumerate(new_values)],
        by_position=not pinned,
    )
    matched_old = set(pairs.values())
    if pinned:
        result.kept.append(f"{page.label or '本'}版：分段已由编辑固定，保留人工分段"
                           f"（本版 {len(old_articles)} 篇，新解析 {len(new_values)} 篇）")
    # Staff added, moved or deleted articles on this page (the admin records
    # "articles"): the parse may no longer add or remove any.
    list_edited = "articles" in (page.edited_fields or ()) or pinned

    # Unmatched stored articles: gone from the parse. Staff-edited ones stay.
    kept_unmatched = []
    for article in old_articles:
        if article.pk in matched_old:
            continue
        if "page" in article.edited_fields:
            # Staff put it on this page (added or moved here): it never came
            # from this file's parse, so its absence there means nothing.
            kept_unmatched.append(article)
        elif article.edited_fields or list_edited:
            kept_unmatched.append(article)
            reason = "重新导入后新解析中找不到这篇文章；因有人工修改而保留"
            if reason not in article.review_reasons:
                article.review_reasons = [*article.review_reasons, reason]
            article.needs_review = True
            why = f"有人工修改（{', '.join(article.edited_fields)}）" if article.edited_fields else "本版文章列表经人工调整"
            result.kept.append(f"第 {article.position} 篇《{article.title}》：新解析中已无此文，因{why}整篇保留")
        else:
            result.removed_ids.append(article.pk)
            result.articles_deleted += 1
    if result.removed_ids:
        Article.objects.filter(pk__in=result.removed_ids).delete()

    if list_edited:
        # A parsed article with no stored row was deleted or moved away by staff.
        for index, (_, values, _, _) in enumerate(new_values):
            if index not in pairs:
                result.kept.append(f"新解析中的《{values['title']}》未重新建立：本版文章列表经人工调整（删除、移走或合并）")
        matched = sorted(pairs)
        new_values = [new_values[index] for index in matched]
        pairs = {slot: pairs[index] for slot, index in enumerate(matched)}

    # Plan final positions: staff-set positions first, then the parse's, and
    # kept articles that left the parse where they were, or else at the end.
    plans = []  # (article or None, values, credits, credit_reasons, record)
    for index, (article_record, values, credits, credit_reasons) in enumerate(new_values):
        plans.append((by_id.get(pairs.get(index)), values, credits, credit_reasons, article_record))
    taken = set()
    final_position = {}
    for slot, (article, *_rest) in enumerate(plans):
        if article is not None and ("position" in article.edited_fields or pinned):
            final_position[slot] = article.position
            taken.add(article.position)
    for slot, (article, values, *_rest) in enumerate(plans):
        if slot in final_position:
            continue
        wanted = values["position"]
        if wanted in taken or wanted < 1:
            wanted = _next_free(taken)
        final_position[slot] = wanted
        taken.add(wanted)
    for article in kept_unmatched:
        if article.position in taken:
            article.position = max(taken) + 1
        taken.add(article.position)

    # Move rows whose position changes out of the way of the unique constraint.
    moving = [a for a in kept_unmatched if a.pk]
    moving += [plan[0] for slot, plan in enumerate(plans)
               if plan[0] is not None and plan[0].position != final_position[slot]]
    for offset, article in enumerate(moving):
        Article.objects.filter(pk=article.pk).update(position=30000 + offset)
    for article in kept_unmatched:
        article.save(update_fields=["position", "needs_review", "review_level", "review_reasons", "updated_at"])

    saved = []  # by plan slot
    new = []  # (Article not yet inserted, its resolved credits)
    for slot, (article, values, credits, credit_reasons, article_record) in enumerate(plans):
        values = dict(values, position=final_position[slot])
        resolved, missing = [], []
        for name, role in credits:
            person = people.resolve(name, signs_commentary=(role == "author" and values.get("kind") == "commentary"))
            if person is None:
                missing.append(f"署名“{name}”不是可用的姓名，未记入")
            else:
                resolved.append((person, role))
        extra = credit_reasons + missing
        if extra:
            set_reasons(values, values["review_reasons"] + extra)
        if article is None:
            article = Article(page=page, **values)
            new.append((article, resolved))
        else:
            edited = _expand(article.edited_fields, _ARTICLE_EDIT_IMPLIES)
            changed = _assign(article, values, edited)
            credits_changed = False
            if "credits" not in edited:
                credits_changed = _credits_differ(article, resolved)
                if credits_changed:
                    _write_credits(article, resolved, replace=True)
            if changed or credits_changed:
                if changed:
                    article.save()
                result.articles_updated += 1
                result.changed_ids.append(article.pk)
            kept = sorted(set(article.edited_fields) & (set(ARTICLE_FIELDS) | {"credits", "parent", "continuation"}))
            if kept:
                result.kept.append(f"第 {article.position} 篇《{article.title}》：保留人工修改的 {', '.join(kept)}")
        saved.append(article)
    _create_articles(new)
    result.articles_created += len(new)
    result.changed_ids.extend(article.pk for article, _ in new)

    # Sidebars point at their main article, known only once all are saved.
    by_record_position = {}
    for (_, _, _, _, article_record), article in zip(plans, saved):
        by_record_position.setdefault(article_record.position, article)
    for (_, _, _, _, article_record), article in zip(plans, saved):
        if "parent" in article.edited_fields:
            continue
        parent = by_record_position.get(article_record.parent_position) if article_record.parent_position else None
        if parent is article:
            parent = None
        if pinned and parent is None:
            continue  # on a pinned page a sidebar keeps its parent unless the parse names a kept one
        if article.parent_id != (parent.pk if parent else None):
            article.parent = parent
            article.save(update_fields=["parent", "updated_at"])

    # Every article of the page is in hand: the parse's, saved or created, and the kept ones.
    articles = sorted(saved + kept_unmatched, key=lambda a: a.position)
    # Again now that credits are written: a credited name is no place (places/matching.py, rule 4).
    credited = {article.pk: [person.name for person, _ in resolved] for article, resolved in new}
    result.changed_ids.extend(mentions.refresh(articles, new=credited) - set(result.changed_ids))
    result.articles_total = len(articles)
    result.articles_flagged = sum(1 for a in articles if a.needs_review)
    result.articles_may = sum(1 for a in articles if a.review_level == "may")
    for article in articles:
        if article.review_level:
            result.reason_counts.update(
                {classify(r) for r in article.review_reasons if classify(r)[0] not in article.cleared_reasons})
    result.titles = [a.title for a in articles]
    return articles


def _next_free(taken):
    position = 1
    while position in taken:
        position += 1
    return position


def _credits_differ(article, resolved):
    current = [(credit.person_id, credit.role) for credit in article.credits.all()]
    return current != [(person.pk, role) for person, role in resolved]


def _create_articles(new):
    """Insert new articles, then all their credits, a statement each.

    bulk_create sends no model signals: the import tells search itself
    (search_hook.notify), finds places itself (mentions.refresh) and marks
    the reader pages' cache stale here.
    """
    if not new:
        return
    articles = [article for article, _ in new]
    if connection.features.can_return_rows_from_bulk_insert:
        Article.objects.bulk_create(articles)
    else:  # a database that cannot return the new ids: one insert each
        for article in articles:
            article.save()
    Credit.objects.bulk_create(
        Credit(article=article, person=person, role=role, order=order)
        for article, resolved in new
        for order, (person, role) in enumerate(resolved, start=1)
    )
    archive_changed()


def _write_credits(article, resolved, replace):
    if replace:
        article.credits.all().delete()
    Credit.objects.bulk_create(
        Credit(article=article, person=person, role=role, order=order)
        for order, (person, role) in enumerate(resolved, start=1)
    )
