"""The embedded PDF preview (QtPdf), the print path and the system viewer.

QtPdf and QtPrintSupport are imported here only, when the review step first
needs them.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.widgets import named


class PdfPreview(QWidget):
    """Shows PDF bytes; keeps the buffer alive as long as the document uses it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = named(QPdfView(self), "Worksheet preview", "Preview of the worksheet PDF")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._buffer: QBuffer | None = None
        self._bytes = QByteArray()

    def show_pdf(self, data: bytes) -> bool:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        return self.document.status() == QPdfDocument.Status.Ready

    def page_count(self) -> int:
        return int(self.document.pageCount())


def print_pdf(data: bytes, parent: QWidget | None) -> bool:
    """Ask for a printer (QPrintDialog) and print the PDF pages; False when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print worksheet")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return render_to_printer(data, printer)


def render_to_printer(data: bytes, printer: object) -> bool:
    """Draw each PDF page as an image on the paint device (a QPrinter)."""
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)
    holder = QByteArray(data)
    buffer = QBuffer(holder)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        return False
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(page).scaled(
                QSize(target.width(), target.height()).toSizeF(), Qt.AspectRatioMode.KeepAspectRatio
            ).toSize()
            image = document.render(page, size)
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
    return True

