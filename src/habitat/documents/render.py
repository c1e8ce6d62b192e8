"""From a document's HTML to the file a person downloads: the A4 page, PDF, safe text.

Every document is first an HTML page (inline CSS, no script, no external resource),
then, when asked, a PDF rendered by WeasyPrint with its fonts embedded (DejaVu, so
French accents print everywhere). Text typed by people goes through `esc` or
`lines_of`: escaped for HTML, control characters removed (they have no place on
paper and some break PDF or iCalendar).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

#: Control characters other than tab and line breaks (and lone surrogates, which no
#: file format can encode).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class Format(StrEnum):
    """A file format a document can be produced in."""

    PDF = "pdf"
    HTML = "html"
    XLSX = "xlsx"
    CSV = "csv"
    ICS = "ics"


MEDIA_TYPES: dict[Format, str] = {
    Format.PDF: "application/pdf",
    Format.HTML: "text/html; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.CSV: "text/csv; charset=utf-8",
    Format.ICS: "text/calendar; charset=utf-8",
}


@dataclass(frozen=True)
class Document:
    """A produced file: what to call it, its media type, its bytes."""

    filename: str
    format: Format
    content: bytes

    @property
    def media_type(self) -> str:
        """The MIME type a browser or a mail client needs."""
        return MEDIA_TYPES[self.format]


class RenderingUnavailableError(RuntimeError):
    """PDF rendering cannot run on this machine (WeasyPrint or its libraries missing).

    Attributes:
        message_fr: what the screen shows.
    """

    def __init__(self, message: str, message_fr: str):
        super().__init__(message)
        self.message_fr = message_fr


def clean(value: Any) -> str:
    """A value as printable text: None is empty, control characters are dropped."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


def esc(value: Any) -> str:
    """A value as HTML text: cleaned, then escaped (quotes included)."""
    return html.escape(clean(value), quote=True)


def lines_of(value: Any) -> str:
    """A typed paragraph as HTML: escaped, its line breaks kept."""
    return "<br>".join(esc(line) for line in clean(value).splitlines())


def filename_part(value: Any) -> str:
    """A piece of a file name: letters, digits and dashes only (no path, no quote)."""
    text = re.sub(r"[^\w-]+", "-", clean(value), flags=re.ASCII).strip("-")
    return text[:60] or "document"


#: The house style of every printed page: A4, DejaVu Sans, the habitat's green.
BASE_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm;
        @bottom-right { content: "Page " counter(page) " / " counter(pages);
                        font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #666; } }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #222;
       margin: 0 auto; max-width: 180mm; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; color: #2e6b4f; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #2e6b4f; color: #2e6b4f; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; }
p.meta { margin: 0; color: #555; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: bold; border-bottom: 1.5px solid #2e6b4f; padding: 1.2mm 2mm; }
td { padding: 1.2mm 2mm; border-bottom: 1px solid #ddd; vertical-align: top; }
td.value { text-align: right; white-space: nowrap; width: 30%; }
section { page-break-inside: avoid; }
.empty { color: #777; font-style: italic; }
.signatures { display: flex; gap: 10mm; margin-top: 10mm; }
.signature { flex: 1; border: 1px solid #999; height: 30mm; padding: 2mm; font-size: 9pt; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #666; }
@media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def page(title: str, body: str, *, css: str = "", lang: str = "fr") -> str:
    """One self-contained HTML page: the house style, `css` after it, then `body`.

    Args:
        title: the page's title (escaped here).
        body: the page's HTML, every typed text already escaped by the caller.
        css: styles of this document only.
        lang: the document's language (hyphenation, screen readers).

    Returns:
        The HTML document; a Content-Security-Policy forbids scripts and any fetch.
    """
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
            " style-src 'unsafe-inline'\">",
            f"<title>{esc(title)}</title>",
            f"<style>{BASE_CSS}{css}</style></head><body>",
            body,
            "</body></html>",
        ]
    )


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """A URL fetcher for WeasyPrint before 66: a document loads nothing (file, network)."""
    raise ValueError(f"documents load no external resource: {url[:80]}")


def _fetcher(weasyprint: Any) -> Any:
    """A URL fetcher allowing no protocol: a document never loads a file or a page."""
    fetcher = getattr(weasyprint.urls, "URLFetcher", None)
    return _no_fetch if fetcher is None else fetcher(allowed_protocols=frozenset())


def pdf(page_html: str) -> bytes:
    """Render an HTML page to PDF (A4), its fonts embedded.

    Args:
        page_html: a page from `page` (or any self-contained HTML).

    Returns:
        The PDF's bytes.

    Raises:
        RenderingUnavailableError: WeasyPrint is not installed, or Pango is missing.
    """
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango library is not there
        raise RenderingUnavailableError(
            f"PDF rendering needs WeasyPrint and Pango: {exc}",
            "Le PDF ne peut pas être produit sur cette machine (WeasyPrint ou Pango "
            "manquant) : téléchargez la version HTML et imprimez-la depuis le navigateur.",
        ) from exc
    document = weasyprint.HTML(string=page_html, url_fetcher=_fetcher(weasyprint))
    return document.write_pdf()
