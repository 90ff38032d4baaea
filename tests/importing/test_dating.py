import datetime

from articles.parsing.dating import estimate_date


def test_newest_full_date_in_the_text():
    text = "2023年1月6日，招商团远赴欧洲；2023年3月3日，拜访法国企业。"
    estimate = estimate_date(text)
    assert estimate.date == datetime.date(2023, 3, 3)
    assert "2023年3月3日" in estimate.basis


def test_end_of_a_range_and_plans_are_not_news_days():
    text = "2023年8月18日至2023年8月31日发放消费券，力争2025年12月31日前完成。"
    assert estimate_date(text).date == datetime.date(2023, 8, 18)


def test_month_and_day_take_the_year_the_text_speaks_from():
    text = "2023年以来，我市推进招商。2023年2月1日签约，8月18日起发放消费券。"
    estimate = estimate_date(text)
    assert estimate.date == datetime.date(2023, 8, 18)
    assert "8月18日" in estimate.basis


def test_target_years_do_not_set_the_year():
    text = "2023年，平湖推进产业发展，2023年成效明显，到2025年实现产业规模翻两番。今年8月18日起发放。"
    assert estimate_date(text).date == datetime.date(2023, 8, 18)


def test_half_year_figures_mean_the_month_after():
    text = "2023年上半年成绩斐然，2023年的目标明确。1至6月，规上工业产值增长8%。"
    estimate = estimate_date(text)
    assert estimate.date == datetime.date(2023, 7, 1)
    assert "1至6月" in estimate.basis


def test_full_width_digits():
    assert estimate_date("２０２４年１月５日上午").date == datetime.date(2024, 1, 5)


def test_impossible_dates_are_ignored():
    assert estimate_date("2023年2月30日") is None


def test_no_evidence_no_estimate():
    assert estimate_date("本报讯 平湖经开外资企业跑出“加速度”。") is None
    assert estimate_date("") is None
    assert estimate_date("8月18日起发放消费券") is None  # a day without any year


def test_sample_front_page_with_masthead(samples_dir):
    text = (samples_dir / "001_754509dbfb55a7fd.txt").read_text(encoding="utf-8")
    assert estimate_date(text).date == datetime.date(2023, 3, 10)


def test_last_years_days_do_not_count():
    text = "2024年1月2日，市委召开会议。去年12月28日，项目开工。"
    assert estimate_date(text).date == datetime.date(2024, 1, 2)


# -- all the evidence, not the first day found (made-up fragments) -----------

def test_a_later_year_named_as_present_moves_a_day_without_year():
    """"2024年履职计划" is not discussed in March 2023: 3月3日 is 2024's."""
    text = ("2023年，市政协委员提交提案四十八件，2023年的履职成效明显。"
            "会议审议了2024年履职计划。3月3日，市政协召开常委会议。")
    estimate = estimate_date(text)
    assert estimate.date == datetime.date(2024, 3, 3)
    assert "2024年" in estimate.basis and "3月3日" in estimate.basis


def test_a_target_year_does_not_move_it():
    text = "2023年，某镇推进美丽乡村建设，到2025年实现全覆盖。3月3日，某镇召开推进会。"
    assert estimate_date(text).date == datetime.date(2023, 3, 3)


def test_yesterday_tied_to_a_day_dates_the_page_the_day_after():
    text = "2024年以来，某镇推进工作。昨天（3月2日），某镇召开会议。5月6日，还将举行展销活动。"
    estimate = estimate_date(text)
    assert estimate.date == datetime.date(2024, 3, 3)
    assert "昨天（3月2日）" in estimate.basis and "前一天" in estimate.basis


def test_today_after_a_reported_day_is_in_the_next_year():
    text = "2023年12月28日，某项目开工建设。3月3日（今天），项目举行封顶仪式。"
    estimate = estimate_date(text)
    assert estimate.date == datetime.date(2024, 3, 3)
    assert "今天" in estimate.basis and "2023-12-28" in estimate.basis


def test_a_day_with_its_year_tied_to_today_is_taken_as_is():
    text = "2024年3月3日（今天），某镇举行开工仪式。2024年5月1日起实施新规。"
    assert estimate_date(text).date == datetime.date(2024, 3, 3)


def test_days_after_a_dated_one_in_its_paragraph_keep_its_year():
    """The issue's page: 3月3日 follows 2023年1月6日 in one paragraph; the page already speaks of 2024."""
    text = ("2023年1月6日，某镇招商团远赴欧洲；1月8日，拜访一家企业；3月3日，项目签约落户。\n\n"
            "座谈会上，委员们就2023年履职情况、2024年履职计划作交流。\n")
    estimate = estimate_date(text)
    assert estimate.date == datetime.date(2024, 1, 1)
    assert "2023-03-03" in estimate.basis and "2024年" in estimate.basis


def test_a_lunar_day_counts_as_its_solar_day():
    estimate = estimate_date("2024年以来，某镇推进文化惠民。农历正月十五，某镇举办元宵灯会。")
    assert estimate.date == datetime.date(2024, 2, 24)
    assert "农历正月十五" in estimate.basis and "2024-02-24" in estimate.basis


def test_the_twelfth_lunar_month_falls_early_in_the_solar_year():
    estimate = estimate_date("2024年，某村举办民俗活动。腊月廿三，村民们一起过小年。")
    assert estimate.date == datetime.date(2024, 2, 2)
