"""The one way text from users, templates or the database enters a ReportLab Paragraph."""

import re
from itertools import groupby
from xml.sax.saxutils import escape

from desktop.documents import fallback_font

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# C0/C1 controls and lone surrogates: ReportLab draws them as empty boxes or refuses them.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


def escape_markup(text: str) -> str:
    """Paragraph markup that shows `text` exactly as typed.

    Unescaped, `Zoë <José>` loses `<José>` silently, `a<b` raises and `<b>` injects markup
    (TECH-NOTES §2.2). Line breaks of every kind become `<br/>`, tabs become spaces and other
    control characters are dropped. Characters the bundled font lacks (Chinese, Japanese,
    Korean, Devanagari, Thai, emoji) are set in a fallback font that has them, rather than
    shown as boxes or left blank.
    """
    text = _UNPRINTABLE.sub("", _LINE_BREAKS.sub("\n", text)).replace("\t", " ")
    if not any(fallback_font.lacks(char) for char in text):
        return _escape_run(text)
    return "".join(
        f'<font name="{font}">{_escape_run("".join(run))}</font>'
        if font
        else _escape_run("".join(run))
        for font, run in groupby(text, fallback_font.font_for)
    )


def _escape_run(text: str) -> str:
    return escape(text).replace("\n", "<br/>")
