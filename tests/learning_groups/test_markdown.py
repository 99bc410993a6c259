"""Agendas and minutes are Markdown rendered to sanitised HTML: XSS payloads come out inert."""

from html.parser import HTMLParser

import pytest

from asmhub.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '![x](https://evil.example/x.png" onerror="alert(1))',
    "<details open ontoggle=alert(1)>",
    "[a](vbscript:msgbox(1))",
]


class _Elements(HTMLParser):
    """Collects the real elements and attributes a browser would build (escaped text is inert)."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.attributes = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_are_neutralised(payload):
    parser = _Elements()
    parser.feed(str(render_markdown(payload)))
    assert not set(parser.tags) & {"script", "img", "svg", "iframe", "div", "details", "style"}
    for name, value in parser.attributes:
        assert not name.startswith("on"), name
        assert name != "style"
        if name in {"href", "src"}:
            assert (value or "").lower().startswith(("http://", "https://", "mailto:")), value


def test_markdown_is_rendered():
    html = str(render_markdown("# Agenda\n\n1. **Welcome**\n2. [Brief](https://example.org)"))
    assert "<h1>Agenda</h1>" in html
    assert "<strong>Welcome</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">Brief</a>' in html


@pytest.mark.django_db
def test_meeting_page_shows_sanitised_agenda(client, world):
    world.meeting.agenda = "Hi <script>alert('agenda')</script> [x](javascript:alert(1))"
    world.meeting.minutes = "<img src=x onerror=alert('minutes')>"
    world.meeting.save()
    client.force_login(world.member)
    html = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript' not in html
