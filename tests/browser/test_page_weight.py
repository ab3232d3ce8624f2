"""The home page stays within its transfer budget (no browser needed: sizes are deterministic)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import load_script

page_weight = load_script("scripts/page_weight.py")


def test_home_page_weight_is_within_budget(site_dir: Path) -> None:
    assets = page_weight.page_weight(site_dir)
    print("\n" + page_weight.report(assets))
    paths = [asset.path for asset in assets]
    # It counts what the page really loads: Material's bundle and stylesheet, and the site's own.
    assert any(p.startswith("assets/javascripts/bundle.") for p in paths)
    assert any(p.startswith("assets/stylesheets/main.") for p in paths)
    assert "assets/site.css" in paths and "assets/site.js" in paths
    total = sum(asset.gzipped for asset in assets)
    assert total <= page_weight.BUDGET, f"home page is {total / 1024:.1f} KB gzip, over {page_weight.BUDGET // 1024} KB"
