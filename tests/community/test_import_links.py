"""Links found in posts and their canonical form: the same link matches however it was shared."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plainspoken.community.links import canonical, find_links
from plainspoken.community.markup import decode_entities, html_to_text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.COM/Path?b=2&a=1", "https://example.com/Path?a=1&b=2"),
        ("http://example.com", "http://example.com/"),
        ("https://example.com:443/x#section", "https://example.com/x"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://shop.example/p?utm_source=a&utm_medium=b&id=3", "https://shop.example/p?id=3"),
        ("https://x.example/?fbclid=1&gclid=2&msclkid=3", "https://x.example/"),
        ("https://x.example/a?ref=hn&mc_cid=9&mc_eid=8&aff_id=7", "https://x.example/a"),
        ("https://x.example/a?%75tm_source=sneaky&q=vpn", "https://x.example/a?q=vpn"),
        ("https://www.amazon.com/dp/B0X/ref=sr_1_1?tag=me-20&keywords=hub",
         "https://www.amazon.com/dp/B0X?keywords=hub"),
        ("https://example.com/?tag=networking", "https://example.com/?tag=networking"),
        ("https://youtu.be/abc?si=share", "https://youtu.be/abc"),
        ("//cdn.example/lib.js", "https://cdn.example/lib.js"),
        ("https://user:pw@Example.com/", "https://example.com/"),
        ("HTTPS://EXAMPLE.COM./a", "https://example.com/a"),
    ],
)  # fmt: skip
def test_canonical_form(url: str, expected: str) -> None:
    link = canonical(url)
    assert link is not None and link.canonical_url == expected
    assert link.url == url


@pytest.mark.parametrize(
    "url", ["mailto:a@example.com", "ftp://example.com/x", "javascript:alert(1)", "https:///x"]
)
def test_only_http_links_count(url: str) -> None:
    assert canonical(url) is None


def test_domain_drops_www() -> None:
    link = canonical("https://www.Example.org/a")
    assert link is not None and link.domain == "example.org"


def test_links_in_markup_and_text_are_found_once_each() -> None:
    html = (
        '<p>See <a href="https://vendor.example/x?utm_source=y&amp;id=1">x</a> and '
        '<a href="/questions/12/slug">a question</a> or <a href="#top">top</a>.</p>'
    )
    text = "See x and https://vendor.example/x?id=1, also (https://en.example/wiki/A_(b))."
    links = find_links(html, text, base="https://site.example")
    assert [link.canonical_url for link in links] == [
        "https://vendor.example/x?id=1",
        "https://site.example/questions/12/slug",
        "https://en.example/wiki/A_(b)",
    ]
    assert find_links(html, None)[0].url == "https://vendor.example/x?utm_source=y&id=1"
    assert len(find_links(html, None)) == 1  # a relative link needs a base


def test_markdown_links_lose_their_closing_bracket() -> None:
    links = find_links(None, "[the docs](https://docs.example/setup). Done.")
    assert [link.canonical_url for link in links] == ["https://docs.example/setup"]


def test_html_to_text_keeps_blocks_as_lines() -> None:
    html = (
        "<h2>Setup</h2><p>Pair the <b>hub</b> &amp; the bulbs.<br>Then wait.</p>"
        "<ul><li>one</li><li>two</li></ul><pre><code>if a &lt; b:\n    go()\n</code></pre>"
        "<!-- hidden --><p>caf&eacute; &#8212; done</p>"
    )
    assert html_to_text(html) == (
        "Setup\n\nPair the hub & the bulbs.\nThen wait.\n\none\n\ntwo\n\n"
        "if a < b:\n    go()\n\ncafé — done"
    )
    assert html_to_text("plain <text> a < b") == "plain  a < b"
    assert html_to_text(None) is None and html_to_text("") == ""


def test_entities_decode_once() -> None:
    assert decode_entities("a &amp;lt; b") == "a &lt; b"
    assert decode_entities("&lt;p&gt; &quot;x&quot; &#39;y&#39;") == "<p> \"x\" 'y'"
    assert decode_entities("&nbsp;&amp;") == "\xa0&"


@given(st.text())
def test_text_never_keeps_a_tag(text: str) -> None:
    out = html_to_text(f"<p>{text}</p><div class='x'>{text}</div>")
    assert out is not None and "<p>" not in out and "<div" not in out


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=80))
def test_canonical_is_stable(tail: str) -> None:
    first = canonical("https://Example.com/" + tail)
    if first is not None:
        again = canonical(first.canonical_url)
        assert again is not None and again.canonical_url == first.canonical_url
