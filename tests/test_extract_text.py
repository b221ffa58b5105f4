"""Reading articles: bad inputs get clear errors (API and CLI), date lines give the date."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from cli.extract import extract
from geo.errors import IncidentMapError
from geo.extract import MAX_ARTICLE_BYTES, ArticleInputError, load_article
from geo.extract.text import check_article_text, published_from_text


def test_empty_and_blank_files_are_refused(tmp_path):
    for content in (b"", b"  \n\t\n"):
        path = tmp_path / "empty.txt"
        path.write_bytes(content)
        with pytest.raises(ArticleInputError, match="empty"):
            load_article(path)


def test_binary_file_is_refused_as_binary(tmp_path):
    path = tmp_path / "scan.pdf.txt"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary stream\x00")
    with pytest.raises(ArticleInputError, match="binary"):
        load_article(path)


def test_non_utf8_file_names_the_byte_and_the_fix(tmp_path):
    path = tmp_path / "cp1250.txt"
    path.write_bytes("Dron spadł koło Włodawy".encode("cp1250"))
    with pytest.raises(ArticleInputError) as caught:
        load_article(path)
    message = str(caught.value)
    assert "not valid UTF-8" in message and "offset" in message and "iconv" in message
    assert isinstance(caught.value, IncidentMapError) and isinstance(caught.value, ValueError)


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "archive.txt"
    path.write_bytes(b"a" * (MAX_ARTICLE_BYTES + 1))
    with pytest.raises(ArticleInputError, match="more than the"):
        load_article(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ArticleInputError, match="does not exist"):
        load_article(tmp_path / "nope.txt")
    with pytest.raises(ArticleInputError, match="directory"):
        load_article(tmp_path)


def test_control_characters_in_text_are_refused():
    with pytest.raises(ArticleInputError, match="control characters"):
        check_article_text("drone\x07\x07\x07\x07 fell" * 3)


def test_date_line_gives_publication_date_and_bom_is_allowed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff date 2023-09-04 A drone fell near Plauru.".encode())
    article = load_article(path)
    assert article.published == dt.date(2023, 9, 4)
    assert article.text.startswith(" date")
    # an explicit date wins over the date line
    assert load_article(path, published=dt.date(2023, 9, 5)).published == dt.date(2023, 9, 5)
    assert published_from_text("No date here.\nNor here.") is None
    assert published_from_text("date 2023-02-30 impossible") is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03", "binary"),
        ("Gałaţi".encode("utf-16"), "UTF-8"),
    ],
)
def test_cli_reports_bad_input_without_traceback(tmp_path, content, expected):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = CliRunner().invoke(extract, [str(path)])
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_rejects_a_bad_published_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("A drone fell in Romania.", encoding="utf-8")
    result = CliRunner().invoke(extract, [str(path), "--published", "2023-13-01"])
    assert result.exit_code == 2
    assert "--published" in result.output and "YYYY-MM-DD" in result.output
