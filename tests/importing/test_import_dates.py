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


def test_the_manifest_note_is_kept_and_shown_with_the_date(imported_samples, client):
    inferred = Page.objects.get(source_name__startswith="000")
    assert inferred.import_note.startswith("Inferred from content") and inferred.date_source == "manifest"
    html = client.get(inferred.get_absolute_url()).content.decode()
    assert "日期未见于报头，据导入清单（清单备注：Inferred from content" in html
    article = inferred.articles.order_by("position").first()
    assert "清单备注：Inferred from content" in client.get(article.get_absolute_url()).content.decode()
    # A printed date needs no note, and gets none.
    printed = Page.objects.get(source_name__startswith="001")
    assert printed.import_note.startswith("Masthead prints") and printed.date_source == "masthead"
    assert "清单备注" not in client.get(printed.get_absolute_url()).content.decode()
