"""A small archive built with the ORM, shaped like the sample pages.

Used where a test needs exact control over what is in the database (query
counts with few and many articles, continuations, sidebars, a day without
paper). Journeys over real text use the imported sample pages instead.
"""

from datetime import date

from articles.models import Article, Credit, Issue, Page, Person, Role


def person(name):
    return Person.objects.get_or_create(name=name)[0]


def credit(article, name, role, order=1):
    return Credit.objects.create(article=article, person=person(name), role=role, order=order)


def paragraphs(*texts):
    return [{"text": text, "kind": "p"} for text in texts]


def make_page(issue, label, section="", n_articles=0, **fields):
    page = Page.objects.create(
        issue=issue, label=label, section=section, source_name=f"{issue.date if issue else 'x'}-{label}-{section}.txt",
        content_hash=f"{label}{section}", raw_text=fields.pop("raw_text", f"原文 第{label}版\n"), **fields,
    )
    for n in range(1, n_articles + 1):
        article = Article.objects.create(
            page=page, position=n, title=f"第{label}版文章{n}", blocks=paragraphs(f"第{n}篇的正文。"),
            body=f"第{n}篇的正文。",
        )
        credit(article, f"记者{n % 7}", Role.REPORTER)
        credit(article, f"通讯员{n % 5}", Role.CORRESPONDENT, order=2)
    return page


def build_archive():
    """Three issues; returns a dict of the objects tests refer to."""
    march = Issue.objects.create(date=date(2023, 3, 10), number=5134, lunar_date="农历癸卯年二月十九", weekday="星期五")
    c1 = make_page(march, "C1", edition="平湖版", editor="戴琰", designer="李春霞", proofreader="张真",
                   raw_text="■记者 李雨婷\n\n党建强，则根基稳；根基稳，则社\n会兴。\n",
                   leftover_text="平湖发布 今平湖客户端", orphan_bylines=[{"text": "■摄影 王 强", "credits": []}])
    main = Article.objects.create(
        page=c1, position=1, kind="feature", column="一把手访谈", kicker="创新奋进 党建强基",
        title="夯实金平湖璀璨明珠的党建根基", subtitle="——访市委组织部常务副部长何小云",
        dateline="本报讯",
        blocks=[
            {"text": "党建强，则根基稳；根基稳，则社会兴。", "kind": "p"},
            {"text": "加强创新推进，构建大党建新格局", "kind": "subhead"},
            {"text": "持续六年推进的铁军打造工程，为金平湖新崛起提供了坚强的队伍保证。", "kind": "p"},
        ],
        body="党建强，则根基稳；根基稳，则社会兴。\n\n加强创新推进，构建大党建新格局\n\n持续六年推进的铁军打造工程，为金平湖新崛起提供了坚强的队伍保证。",
    )
    credit(main, "李雨婷", Role.REPORTER)
    notes = Article.objects.create(
        page=c1, position=2, kind="sidebar", column="采访札记", title="根基在基层", parent=main,
        blocks=paragraphs("采访中，记者感受到基层党组织的变化。"), body="采访中，记者感受到基层党组织的变化。",
    )
    credit(notes, "李雨婷", Role.REPORTER)
    photo = Article.objects.create(
        page=c1, position=3, kind="photo", title="春耕忙", blocks=[{"text": "农民在田间忙碌。", "kind": "caption"}],
        body="农民在田间忙碌。",
    )
    credit(photo, "王强", Role.PHOTOGRAPHER)
    credit(photo, "纪亚千", Role.PHOTOGRAPHER, order=2)

    july = Issue.objects.create(date=date(2023, 7, 20))
    p11 = make_page(july, "11", section="经济创新·深度")
    half = Article.objects.create(
        page=p11, position=1, title="上半年平湖经济稳中向好", blocks=paragraphs("1至6月，全市经济稳中向好。"),
        body="1至6月，全市经济稳中向好。",
    )
    credit(half, "林旭东", Role.REPORTER)
    credit(half, "王晨慧", Role.CORRESPONDENT, order=2)

    january = Issue.objects.create(date=date(2024, 1, 5))
    p1 = make_page(january, "1")
    p2 = make_page(january, "2")
    tail = Article.objects.create(
        page=p2, position=1, kind="commentary", title="以实干担当开创新局（上接1版）", continued_from="1",
        blocks=paragraphs("唯有实干，才能开创新局。"), body="唯有实干，才能开创新局。",
    )
    head = Article.objects.create(
        page=p1, position=1, kind="commentary", title="以实干担当开创新局", subtitle="——三论学习贯彻市委十五届四次全会精神",
        continued_to="2", continuation=tail,
        blocks=paragraphs("新年伊始，全市上下干劲十足。", "实干是最好的担当。"), body="新年伊始，全市上下干劲十足。\n\n实干是最好的担当。",
    )
    credit(head, "本报评论员", Role.COMMENTATOR)
    other = Article.objects.create(
        page=p1, position=2, title="全市重点项目集中开工", blocks=paragraphs("一批重点项目集中开工。"),
        body="一批重点项目集中开工。",
    )
    credit(other, "林旭东", Role.REPORTER)
    return {
        "march": march, "july": july, "january": january, "c1": c1, "p11": p11, "p1": p1, "p2": p2,
        "main": main, "notes": notes, "photo": photo, "half": half, "head": head, "tail": tail, "other": other,
    }
