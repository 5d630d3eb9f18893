"""English plural forms for the studio's counted messages, through Qt's ``%n`` forms.

Every message with a count is written the Qt way: ``self.tr("%n products", "", n)``; Qt puts
the number in for ``%n`` and asks the installed translators for the form that goes with it.
The source texts are the English plurals; ``EnglishPlurals`` is the translator that gives the
singular for one (English has two forms: one, and every other count, zero included:
"0 products"). It is installed once on the application (``install``: the desktop's start and
the test suite's application), so a message never reads "1 products" or "product(s)".

A test keeps ``SINGULAR`` in step with the code: every ``tr()`` with ``%n`` in studio/ui must be
listed here, and nothing else. A translation to another language would come as a Qt Linguist
``.ts`` file with its own numerus forms (lupdate finds these same ``%n`` messages), installed
beside this one.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

# The English plural source text -> its singular.
SINGULAR: dict[str, str] = {
    "%n issues to check": "%n issue to check",
    "%n issues to check before sharing": "%n issue to check before sharing",
    "%n issues": "%n issue",
    "Fixed %n issues.": "Fixed %n issue.",
    "%n photos": "%n photo",
    "%n tags": "%n tag",
    "%n looks": "%n look",
    "%n boards": "%n board",
    "%n shops": "%n shop",
    "%n reviews": "%n review",
    "%n reviews in the trash": "%n review in the trash",
    "%n photo files": "%n photo file",
    "%n items": "%n item",
    "%n records added": "%n record added",
    "%n kept": "%n kept",
    "%n words": "%n word",
    "%n products": "%n product",
    "Add %n photos": "Add %n photo",
    "Add %n products": "Add %n product",
    "Importing %n photos…": "Importing %n photo…",
    "Rate %n stars": "Rate %n star",
    "%n files could not be added:": "%n file could not be added:",
    "%n more errors happened since; they are in the log.": (
        "%n more error happened since; it is in the log."
    ),
    "%n added to the shelf.": "%n added to the shelf.",
    "%n products need attention.": "%n product needs attention.",
    "%n products have no replacement in the catalog; remove them or pick one yourself.": (
        "%n product has no replacement in the catalog; remove it or pick one yourself."
    ),
    "%n photos were cleaned as they came in (private metadata or data hidden after the "
    "picture removed), as a photo import cleans them.": (
        "%n photo was cleaned as it came in (private metadata or data hidden after the "
        "picture removed), as a photo import cleans them."
    ),
    "%n products are not in this catalog; their tags keep the merchant and offer id:": (
        "%n product is not in this catalog; its tags keep the merchant and offer id:"
    ),
}


class EnglishPlurals(QTranslator):
    """Gives the singular of a ``%n`` message for a count of one; nothing else."""

    def translate(
        self,
        context: str,
        sourceText: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None (a null QString) is "not translated here": Qt then uses the source text, the
        # plural. (An empty string would be taken as a translation: a blank message.)
        return SINGULAR.get(sourceText) if n == 1 else None

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication) -> EnglishPlurals:
    """Install the English plural forms on ``app`` (once; the translator lives as long)."""
    found = app.findChild(EnglishPlurals)
    if isinstance(found, EnglishPlurals):
        return found
    translator = EnglishPlurals(app)
    app.installTranslator(translator)
    return translator
