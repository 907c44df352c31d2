"""The sources file: valid files load; invalid ones are refused with the key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import ConfigError as BaseConfigError
from extract.harvest import ConfigError, load_sources

REPO = Path(__file__).resolve().parents[2]

GOOD = """
[harvest]
retries = 1

[[sources]]
name = "a"
region = "临江区"
year = 2024
start_urls = ["site/index.html", "https://www.example.gov.cn/ysgk/index.html"]
allowed_hosts = ["WWW.example.gov.cn"]
[sources.articles]
text_patterns = ["部门预算"]
url_patterns = ['/art/']
[sources.pagination]
page_url = "index_{n}.html"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads_and_resolves_paths(tmp_path: Path) -> None:
    config = load_sources(write(tmp_path, GOOD))
    source = config.sources[0]
    assert config.harvest.retries == 1
    assert source.start_urls[0] == (tmp_path / "site" / "index.html").as_uri()
    assert source.hosts() == {"www.example.gov.cn"}
    assert source.documents.matches("http://h/a.PDF", "")
    assert not source.documents.matches("http://h/a.html", "")


def test_repo_sources_file_points_at_the_mock_portal() -> None:
    source = load_sources(REPO / "sources.toml").sources[0]
    assert source.start_urls == ((REPO / "fixtures/site/index.html").as_uri(),)


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (("region = ", "regoin = "), r"sources\[0\]\.regoin"),
        (("retries = 1", "retries = -1"), r"harvest\.retries"),
        (("retries = 1", "retrys = 1"), r"harvest\.retrys"),
        (
            ("url_patterns = ['/art/']", "url_patterns = ['(']"),
            r"sources\[0\]\.articles\.url_patterns",
        ),
        (
            ('page_url = "index_{n}.html"', 'page_url = "index.html"'),
            r"sources\[0\]\.pagination\.page_url",
        ),
        (("year = 2024", "year = 24"), r"sources\[0\]\.year"),
        (('name = "a"', 'name = ""'), r"sources\[0\]\.name"),
        (('"site/index.html", ', '"ftp://h/x", '), r"sources\[0\]\.start_urls"),
    ],
)
def test_invalid_config_names_the_key(tmp_path: Path, edit: tuple[str, str], key: str) -> None:
    path = write(tmp_path, GOOD.replace(*edit))
    with pytest.raises(ConfigError, match=key) as info:
        load_sources(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, BaseConfigError)


def test_missing_required_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\]\.start_urls.*Field required"):
        load_sources(write(tmp_path, '[[sources]]\nname = "a"\nregion = "r"\n'))


def test_duplicate_names(tmp_path: Path) -> None:
    one = '[[sources]]\nname = "a"\nregion = "r"\nstart_urls = ["x.html"]\n'
    with pytest.raises(ConfigError, match="duplicate source name 'a'"):
        load_sources(write(tmp_path, one + one))


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_sources(write(tmp_path, "[[sources]\n"))
    with pytest.raises(ConfigError, match="cannot read sources file"):
        load_sources(tmp_path / "absent.toml")


def test_a_summary_prints_as_a_table_with_the_expected_failures_marked() -> None:
    from extract.harvest.records import PageFailure
    from extract.harvest.summary import HarvestSummary, summary_to_text

    broken = "file:///demo/docs/2024_lj_jyj_scan.pdf"
    summary = HarvestSummary(found=8, new=6, failed=2, extracted=6, projects=23, indicators=116,
                             failures=(PageFailure(url=broken, reason="404 file not found"),
                                       PageFailure(url="https://x/y.pdf", reason="timeout")),
                             expected=(broken,), dataset="output/dataset: 6 documents")  # fmt: skip
    text = summary_to_text(summary)
    assert "|" not in text and "#" not in text  # a table for people, not Markdown
    assert "  documents found" in text and "  projects written                      23" in text
    assert f"{broken}  [expected]" in text and "https://x/y.pdf\n" in text
    assert "1 of the failures are expected" in text and "output/dataset: 6 documents" in text


def test_the_bundled_sources_expect_the_demos_two_failures() -> None:
    from pathlib import Path

    config = load_sources(Path(__file__).resolve().parents[2] / "sources.toml")
    [demo] = config.sources
    assert len(demo.expected_failures) == 2
