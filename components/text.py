"""Text that a person, a FINESS file or an import wrote, shown as text and nothing else.

Streamlit reads Markdown (and its own directives: colours, icons, LaTeX) in `st.markdown`, titles, captions,
alerts, toasts, widget labels and the options of radios, pills and segmented controls. A name such as
`![x](https://ailleurs/pixel)` or `[cliquez](javascript:…)` would load an image or become a link there.
`md()` makes any text inert for all of them: every character Markdown could read is backslash-escaped, line
breaks become spaces and control characters (NUL …) are dropped. Long texts go through `st.text` (never
parsed) or a dataframe; maps take `html_text()` (components/maps.py).
"""

from __future__ import annotations

import html
import re

# What Markdown, Streamlit's directives (:red[…], :material/…:) and LaTeX ($) read inline is backslash-escaped:
# links and images need « [ », raw HTML and autolinks « < », a directive « : » before a letter. Other punctuation is
# left as typed, so that a French sentence (« : », « . », « ( ») reads the same in the source.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&]|:(?=[A-Za-z]))")
_LEADING = re.compile(r"^(\s*(?:\d+)?)([-+=>.)])")  # a list, a quote or a heading at the start of a line
# GFM's bare web autolinks (« https://… », « www.… ») are found in the text after the escapes are read: a word
# joiner (U+2060, invisible) breaks them instead. An e-mail address stays a « mailto: » link: it opens the reader's
# mail program on the address shown, loads nothing, and is copied without a hidden character.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def md(value: object) -> str:
    """`value` as inline Markdown that shows exactly its characters (None: empty)."""
    if value is None:
        return ""
    text = _LINE_BREAK.sub(" ", _CONTROL.sub("", str(value)))
    text = _AUTOLINK.sub(WORD_JOINER, _SPECIAL.sub(r"\\\1", text))
    return _LEADING.sub(r"\1\\\2", text)


def plain(value: object) -> str:
    """`value` as a plain string for `st.text`, a dataframe or an export: control characters dropped."""
    return "" if value is None else _CONTROL.sub("", str(value))


def html_text(value: object) -> str:
    """`value` for an HTML or JavaScript template (a Leaflet tooltip is a JS template literal): every character
    that HTML or a template literal reads (`<`, `&`, quotes, backquote, `$`, `\\`) becomes an entity."""
    escaped = html.escape(plain(value), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;").replace("{", "&#123;")


def deck_text(value: object) -> str:
    """`value` for the data of a pydeck map, shown by its text tooltip (never HTML). deck.gl's JSON converter reads
    a string that begins with « @@ » as an expression or a constant: such a text gets an invisible space first."""
    text = plain(value)
    return "\u200b" + text if text.startswith("@@") else text
