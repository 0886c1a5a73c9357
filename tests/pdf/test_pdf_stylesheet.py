"""The one print stylesheet: the format rules are variables in one place, and they take effect."""
from __future__ import annotations

import re
import shutil

from reports.documents.pdf.render import resolve_variables, stylesheet_path

REQUIRED = ["--page-size", "--page-size-wide", "--margin-top", "--margin-bottom", "--margin-left", "--margin-right",
            "--font-family", "--body-size", "--line-height", "--paragraph-gap", "--first-line-indent",
            "--nation-size", "--type-size", "--footnote-size", "--recipients-size", "--signature-space",
            "--page-number-size", "--table-size"]


def test_layout_rules_are_variables_of_the_root_block_used_by_the_rules():
    css = stylesheet_path().read_text(encoding="utf-8")
    root = re.search(r":root\s*\{([^}]*)\}", css).group(1)
    for name in REQUIRED:
        assert re.search(rf"{name}\s*:", root), f"{name} is not defined in :root"
        assert f"var({name})" in css, f"{name} is defined but not used"
    page = re.search(r"@page \{(.*?)\n\}", css, re.S).group(1)
    assert "size: var(--page-size)" in page
    assert "var(--margin-top) var(--margin-right) var(--margin-bottom) var(--margin-left)" in page


def test_variables_are_substituted_once_for_weasyprint():
    css = ":root { --a: 14pt; --b: var(--a); /* --c: 1pt; */ }\np { font-size: var(--b); margin: var(--x, 2pt); }"
    out = resolve_variables(css)
    assert "font-size: 14pt" in out and "margin: 2pt" in out
    assert resolve_variables(stylesheet_path().read_text(encoding="utf-8")).split(":root", 1)[1].count("var(") \
        == len(re.findall(r"var\(", re.search(r":root\s*\{([^}]*)\}", stylesheet_path().read_text()).group(1)))


def test_changing_a_variable_changes_the_page(tmp_path, settings, monkeypatch):
    from demo.samples import seed_003_document
    from reports.documents.pdf import render
    from tests.pdf import pdf_reading as R

    static = tmp_path / "static"
    (static / "print").mkdir(parents=True)
    shutil.copytree(render.static_root() / "fonts" / "liberation-serif", static / "fonts" / "liberation-serif")
    (static / "print" / "footnote-rule.svg").write_bytes((render.static_root() / "print" / "footnote-rule.svg")
                                                         .read_bytes())
    css = stylesheet_path().read_text(encoding="utf-8").replace("--page-size: A4;", "--page-size: A5;")
    (static / "print" / "print.css").write_text(css, encoding="utf-8")
    monkeypatch.setattr(render, "static_root", lambda: static)
    render._stylesheet_cached.cache_clear()
    try:
        pdf = render.render_document(seed_003_document()).pdf
    finally:
        render._stylesheet_cached.cache_clear()
    w, h = R.page_sizes(pdf)[0]
    assert abs(w - 419.5) < 2 and abs(h - 595.3) < 2, "A5 after changing one variable"
    assert all(R.fonts_embedded(pdf).values()) and all("Liberation-Serif" in f for f in R.fonts_embedded(pdf))
