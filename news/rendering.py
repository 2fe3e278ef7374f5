"""Article bodies: Markdown written by staff, turned into HTML that is safe to show anyone.

Staff paste text from Word, WeChat articles and other sites, so the Markdown may
carry raw HTML. Whatever it carries, only the tags and attributes below survive:
no script, no event handler, no ``javascript:`` link, no frame, no inline style
(a strict Content-Security-Policy would block it anyway).
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small",
    "blockquote", "code", "pre", "kbd", "abbr",
    "ul", "ol", "li", "dl", "dt", "dd",
    "a", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Dropped together with everything inside them, not just unwrapped.
REMOVED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "noscript", "template", "svg", "math", "textarea", "select", "button",
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]

# The page's title is the only <h1>; a "# heading" in the body becomes an <h2>.
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def render_markdown(text: str) -> str:
    """Render Markdown (with any raw HTML in it) to sanitised HTML."""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return sanitise_html(_H1.sub(r"<\1h2", html))


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
