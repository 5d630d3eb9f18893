"""Help > Getting started: one short illustrated page on what the studio makes and how to begin.

The page is a ``QTextBrowser`` in a dialog that does not block the window, so the user can
follow a step while it stays open. Its links run the studio's own actions (``studio:NAME``:
the window hands in the ``QAction`` for each name), so "Load the demo catalog" starts exactly
what File > Load demo catalog starts, and a workspace's name opens that workspace. The keys
quoted on the page are read from those actions too, so they cannot drift from the menus.

Its pictures are drawn from the palette (``illustrations.py``) and registered in the page's
document as image resources; when the palette changes (a light or dark desktop theme) they
are drawn again and the page is read again (Qt gives links their colour as it reads the HTML),
so the page follows the theme as the rest of the window does.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import QEvent, QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from studio.ui.illustrations import DRAWINGS, HEIGHT, WIDTH, illustration

SCHEME = "studio"  # links that run an action: studio:demo, studio:looks…
IMAGE_SCHEME = "illustration"
_REDRAW_ON = (
    QEvent.Type.PaletteChange,
    QEvent.Type.ApplicationPaletteChange,
    QEvent.Type.StyleChange,
)


class GettingStarted(QDialog):
    """The page; ``actions`` maps each link's name (demo, import, find, new, shortcuts and the
    workspaces' names) to the action it runs."""

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions = dict(actions)
        self.setWindowTitle(self.tr("Getting started"))
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("Getting started with Vitrine Studio"))
        # Our links are actions, not addresses: never let the browser try to load them.
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self.follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.draw_illustrations()
        self.browser.setHtml(self.html())
        # Fits a 1366x768 screen with the window's title bar and the desktop's panels.
        self.resize(680, 640)

    # -- the page ---------------------------------------------------------------------------

    def _keys(self, name: str) -> str:
        """`` (Ctrl+F)``: the first key of the action named ``name``, if it has one."""
        action = self._actions.get(name)
        if action is None or not action.shortcuts():
            return ""
        text = action.shortcuts()[0].toString(QKeySequence.SequenceFormat.NativeText)
        return self.tr(" ({keys})").format(keys=text)

    def steps(self) -> list[tuple[str, str, str]]:
        """(illustration, title, text as HTML) of each step, in order."""
        return [
            (
                "catalog",
                self.tr("Bring products in"),
                self.tr(
                    "Everything starts from a catalog of merchants' products. "
                    '<a href="studio:demo">Load the demo catalog</a> to explore with a few '
                    'sample merchants, or <a href="studio:import">import a merchant\'s feed'
                    "</a>{import_keys}: Google Merchant, Shopify or WooCommerce. Both are in "
                    "the File menu."
                ).format(import_keys=self._keys("import")),
            ),
            (
                "search",
                self.tr("Search the catalog"),
                self.tr(
                    'In the <a href="studio:catalog">Catalog</a>, type in the search '
                    "box{find_keys}: the products follow as you type. The filters beside them "
                    "narrow the results by merchant, brand, category or price, and Enter "
                    "opens a product's details."
                ).format(find_keys=self._keys("find")),
            ),
            (
                "look",
                self.tr("Compose a look"),
                self.tr(
                    'In <a href="studio:looks">Looks</a>, make a new look{new_keys} and add '
                    "your photos. Drag a product onto a photo, or click a point of the photo "
                    "and search, to tag it: each tag ties what is worn to a product, the "
                    "exact item or a similar one."
                ).format(new_keys=self._keys("new")),
            ),
            (
                "board",
                self.tr("Lay out a board"),
                self.tr(
                    'In <a href="studio:boards">Boards</a>, drop products and your photos on '
                    "a canvas, add text, then move, scale and layer them into a collage. "
                    "Every product on it is a shoppable tag."
                ),
            ),
            (
                "shop",
                self.tr("Stock your shop"),
                self.tr(
                    'In <a href="studio:shops">Shops</a>, put products on shelves in the '
                    "order you want, add a note to each and feature the best. Preview shows "
                    "the shop as buyers will see it."
                ),
            ),
            (
                "review",
                self.tr("Write a review"),
                self.tr(
                    'In <a href="studio:reviews">Reviews</a>, pick a product, give it a '
                    "rating, say what you think, list pros and cons and add photos. The "
                    "disclosure is written from how you got the product."
                ),
            ),
            (
                "checks",
                self.tr("Check before sharing"),
                self.tr(
                    "Each look, board and review has a <b>Checks</b> tab, and each shop a "
                    "<b>Health</b> tab: what to fix before you share it, such as a product "
                    "gone from the catalog or out of stock, a photo too small or a conflict "
                    "of interest, most with a one-click fix."
                ),
            ),
        ]

    def html(self) -> str:
        intro = self.tr(
            "Vitrine Studio is where you prepare what you recommend: looks, boards, a shop "
            "and reviews, made from merchants' products, all offline. Everything is saved as "
            "you work and can be undone."
        )
        rows = []
        for n, (image, title, text) in enumerate(self.steps(), start=1):
            heading = self.tr("{n}. {title}").format(n=n, title=title)
            rows.append(
                f'<tr><td width="{WIDTH + 16}" valign="top">'
                f'<img src="{IMAGE_SCHEME}:{image}" width="{WIDTH}" height="{HEIGHT}" '
                f'alt="{escape(title)}"></td><td valign="top"><h3>{heading}</h3><p>{text}</p>'
                "</td></tr>"
            )
        keys = self.tr(
            "Every menu shows its keys, and "
            '<a href="studio:shortcuts">Show keyboard shortcuts</a>{keys} lists them all, '
            "searchable. This page stays in the Help menu: Help, Getting started."
        ).format(keys=self._keys("shortcuts"))
        return (
            f"<h2>{self.tr('Getting started')}</h2><p>{intro}</p>"
            f'<table cellspacing="8">{"".join(rows)}</table>'
            f"<h3>{self.tr('Keyboard shortcuts')}</h3><p>{keys}</p>"
        )

    def step_titles(self) -> list[str]:
        return [title for _image, title, _text in self.steps()]

    # -- illustrations, drawn from the palette ----------------------------------------------

    def draw_illustrations(self) -> None:
        """(Re)draw every picture in the current palette, at the screen's pixel ratio."""
        document = self.browser.document()
        scale = self.devicePixelRatioF()
        palette = self.palette()
        for name in DRAWINGS:
            image = illustration(name, palette, scale)
            url = QUrl(f"{IMAGE_SCHEME}:{name}")
            document.addResource(QTextDocument.ResourceType.ImageResource, url, image)
        self.browser.viewport().update()

    def illustration_image(self, name: str) -> object:
        """The picture the page shows for ``name`` now (for tests)."""
        url = QUrl(f"{IMAGE_SCHEME}:{name}")
        return self.browser.document().resource(QTextDocument.ResourceType.ImageResource, url)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in _REDRAW_ON and hasattr(self, "browser"):
            self.draw_illustrations()
            # The links' colour is fixed when the HTML is read: read it again, in place.
            bar = self.browser.verticalScrollBar()
            at = bar.value()
            self.browser.setHtml(self.html())
            bar.setValue(at)

    # -- links ------------------------------------------------------------------------------

    def follow(self, url: QUrl) -> None:
        """A link was clicked: run its action (the same the menus run)."""
        if url.scheme() != SCHEME:
            return
        action = self._actions.get(url.path())
        if action is not None and action.isEnabled():
            action.trigger()
