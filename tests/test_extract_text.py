"""Reading articles: bad inputs get clear errors (API and CLI), date lines give the date."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from incidentmap.extract import extract
from incidentmap.geo.errors import IncidentMapError
from incidentmap.news import MAX_ARTICLE_BYTES, ArticleInputError, load_article
from incidentmap.news.article import _headline
from incidentmap.news.text import check_article_text, published_from_text


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
        (b" \n\t\n", "empty"),
        (b"\x00\x01\x02\x03", "binary"),
        ("Gałaţi".encode("utf-16"), "UTF-8"),
        ("Galaţi drone debris".encode("cp1250"), "not valid UTF-8"),
        (None, "does not exist"),
    ],
)
def test_cli_bad_input_is_a_usage_error_without_traceback(tmp_path, content, expected):
    # user mistakes exit with status 2, like every other command's
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(extract, [str(path)])
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("first_lines", "published", "title"),
    [
        ("Vilnius, July 29, 2025\nDrone crashes", dt.date(2025, 7, 29), "Drone crashes"),
        ("Vilnius, July 29, 2025 (wire)\n\nDrone crashes", dt.date(2025, 7, 29), "Drone crashes"),
        ("29 July 2025\nDrone crashes", dt.date(2025, 7, 29), "Drone crashes"),
        ("July 29, 2025 — Drone crashes", dt.date(2025, 7, 29), "Drone crashes"),
        ("Drone crashes\nKYIV, Ukraine, Aug. 4, 2024 -", dt.date(2024, 8, 4), "Drone crashes"),
        ("Tuesday, 3 Sept 2024\nDrone crashes", dt.date(2024, 9, 3), "Drone crashes"),
        ("Published: 2023-09-04\nDrone crashes", dt.date(2023, 9, 4), "Drone crashes"),
    ],
)
def test_datelines_give_the_publication_date(tmp_path, first_lines, published, title):
    path = tmp_path / "a.txt"
    path.write_text(first_lines + "\nA drone fell near a village on Monday.", encoding="utf-8")
    assert load_article(path).published == published
    assert _headline(first_lines + "\nbody") == title


def test_a_date_inside_a_sentence_is_not_a_dateline():
    assert published_from_text("A drone fell in Vilnius on July 29, 2025, police said.") is None
    assert published_from_text("July 29, 2025 was a hot day in Vilnius.") is None
    assert published_from_text("One\nTwo\nThree\n29 July 2025") is None  # not in the first 3
    assert published_from_text("Vilnius, 31 February 2025\nDrone") is None


def test_article_from_standard_input(default_geocoder_in_session_cache):
    text = "Bucharest, 12 February 2025\nDebris of a drone was found near Galati on Monday.\n"
    result = CliRunner().invoke(extract, ["-"], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert data["published"] == dt.date(2025, 2, 12) and data["article"] == "<stdin>"
    assert any(p["name"] == "Galaţi" for p in data["places"])
    bad = CliRunner().invoke(extract, ["-"], input=b"\xff\xfe\x00\x00")
    assert bad.exit_code == 2 and "<stdin>" in bad.output and "Traceback" not in bad.output


def test_cli_rejects_a_bad_published_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("A drone fell in Romania.", encoding="utf-8")
    result = CliRunner().invoke(extract, [str(path), "--published", "2023-13-01"])
    assert result.exit_code == 2
    assert "--published" in result.output and "YYYY-MM-DD" in result.output
