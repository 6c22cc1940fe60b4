"""safe.py: contributor text cannot inject HTML or script; links only https and mailto."""

from __future__ import annotations

from generator import safe


def test_prose_strips_script_and_dangerous_links():
    out = str(safe.prose('Hi <script>alert(1)</script><img src=x onerror="a()"> [x](javascript:alert(1)) '
                         '[d](data:text/html,hi) [h](http://plain.example) [s](https://ok.example) <a href="mailto:a@b.example">m</a>'))
    assert "<script" not in out and "onerror" not in out and "<img" not in out
    assert "javascript:" not in out and "data:" not in out and 'href="http://' not in out
    assert 'href="https://ok.example"' in out and 'href="mailto:a@b.example"' in out


def test_prose_keeps_simple_formatting():
    assert str(safe.prose("*a* **b** `c`")) == "<p><em>a</em> <strong>b</strong> <code>c</code></p>"


def test_markdown_escape_for_headings():
    assert str(safe.md("Rocket.Chat <b>*x*</b> [y](z) {#id}")) == r"Rocket\.Chat &lt;b&gt;\*x\*&lt;/b&gt; \[y\]\(z\) \{\#id\}"


def test_href_only_https_and_mailto():
    assert str(safe.href("javascript:alert(1)")) == "#"
    assert str(safe.href("https://a.example/?q=1&r=\"2\"")) == "https://a.example/?q=1&amp;r=&quot;2&quot;"


def test_plain_text_fast_path_matches_the_converter():
    import markdown

    for text in ["A plain sentence, with commas; and (brackets) and 50 % and 'quotes'.", "Line one\nline two"]:
        assert str(safe.prose(text)) == markdown.markdown(text)
    assert "<ul>" in str(safe.prose("- a\n- b")) and "<em>" in str(safe.prose("an *emphasis*"))
