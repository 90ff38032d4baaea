"""A page with no printed date, in the folder of a page that prints one."""

from articles.models import Page
from import_helpers import SAMPLE_001, batch, sample_text


def test_an_undated_page_takes_the_date_of_its_folder_s_front_page(import_pages, tmp_path):
    """The front page prints its date; the inside page of the same folder, imported after it, shares it."""
    inside = ("平湖发布\n\n## 某镇举办农民丰收节\n\n■记者 林旭东\n\n"
              "本报讯 3月8日，某镇举办农民丰收节，村民们展示了自家的农产品。\n")
    folder = batch(tmp_path / "issue", {"a_front.txt": sample_text(SAMPLE_001), "b_inside.txt": inside})
    code, out, err = import_pages(folder, "--no-copy")
    assert code == 0, err
    front = Page.objects.get(source_name="a_front.txt")
    page = Page.objects.get(source_name="b_inside.txt")
    assert front.date_source == "masthead" and page.date_source == "estimated"
    assert page.issue_id == front.issue_id
    assert any("a_front.txt" in reason and "同一期" in reason for reason in page.review_reasons)
