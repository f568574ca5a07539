"""Plain text to safe HTML: every hostile input comes out as text, links come out safe."""

from html.parser import HTMLParser

import pytest

from comments.text import LINK_REL, count_links, render_plain_text

ALLOWED_ELEMENTS = {"p", "br", "a"}
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
LONG_URL = "https://example.com/" + "a" * 300


class Inspector(HTMLParser):
    """Collect elements, attributes and the text a browser would show."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.links = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs)
        else:
            assert attrs == {}, (tag, attrs)
        if tag == "br":
            self.text.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "p":
            self.text.append("\n\n")

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        raise AssertionError(f"an HTML comment got through: {data!r}")

    def handle_decl(self, decl):
        raise AssertionError(f"a declaration got through: {decl!r}")

    def handle_pi(self, data):
        raise AssertionError(f"a processing instruction got through: {data!r}")

    def unknown_decl(self, data):
        raise AssertionError(f"a declaration got through: {data!r}")


def inspect(text):
    parser = Inspector()
    parser.feed(render_plain_text(text))
    parser.close()
    return parser


def shown_text(parser):
    """The text as shown, with line breaks and paragraphs as single newlines and spaces."""
    return " ".join("".join(parser.text).split())


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106&#0000097vascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://files.example.com/secret",
    "file:///etc/passwd",
    "//evil.example/path",
    '<a href="http://ok.example" onclick="alert(1)">x</a>',
    "http://example.com/\"onmouseover=\"alert(1)",
    "http://example.com/'onmouseover='alert(1)",
    "http://example.com/<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<!-- a comment --> after",
    "<![CDATA[ <script>alert(1)</script> ]]>",
    "<?xml version='1.0'?>",
    "<!DOCTYPE html>",
    "</p><p>broken out",
    "</textarea><script>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<p title='</p><script>alert(1)</script>'>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=http://evil.example><input name=q></form>",
    "<meta http-equiv=refresh content='0;url=http://evil.example'>",
    "<base href=http://evil.example/>",
    "<object data=javascript:alert(1)>",
    "<a href='mailto:x@example.com?subject=<script>'>mail</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;b&amp;gt;",
    "a < b & c > d",
    "\u202etxt.exe",
    "<img src=x onerror=alert(1)//",
    "www.example.com/\"><script>alert(1)</script>",
    "http://xn--80ak6aa92e.com/ and http://[::1]/ and http://127.0.0.1:8000/",
    LONG_URL,
    "mailto:someone@example.com",
    "someone@example.com<script>",
    "http://example.com/?q=<b>&x=\"y\"",
    "{{ 7*7 }} {% debug %} ${7*7}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_renders_as_text_with_only_safe_links(text):
    parser = inspect(text)
    assert set(parser.elements) <= ALLOWED_ELEMENTS
    for link in parser.links:
        assert set(link) == {"href", "rel"}
        assert link["href"].lower().startswith(ALLOWED_SCHEMES), link
        assert link["rel"] == LINK_REL
    # Everything typed is shown as typed; only a long link's text is trimmed.
    expected = LONG_URL[:71] + "\u2026" if text == LONG_URL else " ".join(text.split())
    assert shown_text(parser) == expected


def test_there_are_at_least_forty_hostile_inputs():
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize(
    "text",
    ["a < b & c", "<b>bold</b> & <i>italic</i>", "5 > 3 && 2 < 4", "&amp; &copy; &#169;", "\"'`"],
)
def test_literal_text_is_preserved_exactly(text):
    assert shown_text(inspect(text)) == text


def test_escaping_is_exact():
    assert render_plain_text("a < b & c") == "<p>a &lt; b &amp; c</p>"


def test_web_addresses_and_email_become_safe_links():
    html = render_plain_text(
        "See https://example.com/a?b=1&c=2, www.example.org and mail ada@example.com."
    )
    assert html == (
        '<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.com/a?b=1&amp;c=2</a>, "
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a> and '
        'mail <a href="mailto:ada@example.com" rel="nofollow ugc noopener">ada@example.com</a>.</p>'
    )


@pytest.mark.parametrize("text", ["file.py", "example.com", "ftp://example.com", "data:x,y"])
def test_other_words_that_look_like_addresses_stay_text(text):
    parser = inspect(text)
    assert parser.links == [] and shown_text(parser) == text


def test_long_link_text_is_trimmed_to_72_characters_with_an_ellipsis():
    url = "https://example.com/" + "x" * 100
    parser = inspect(url)
    assert parser.links[0]["href"] == url
    shown = shown_text(parser)
    assert len(shown) == 72 and shown == url[:71] + "\u2026"


def test_line_breaks_and_paragraphs():
    assert render_plain_text("one\ntwo\r\n\r\nthree\n\n\n\nfour\r") == (
        "<p>one<br>\ntwo</p>\n<p>three</p>\n<p>four</p>"
    )


def test_blank_text_renders_nothing():
    assert render_plain_text(" \n\n \t") == ""


def test_count_links():
    assert count_links(render_plain_text("http://a.example.com www.b.com c@d.com")) == 3
    assert count_links(render_plain_text("no links, <a href=x>not one</a>")) == 0
