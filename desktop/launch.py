"""Start the desktop application.

The window paints first; the reference (and with it pydantic, the pages and
the models) loads right after the first paint, so start-up stays light.
Set WORKSHEET_BENCH_EXIT_ON_PAINT=1 to print the time of the first paint and
quit (the start-up benchmark), or =ready to do so once the case is checked.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import types
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import desktop.pyside_sources  # noqa: F401  (before the rest of the program: see the module)
from desktop.window import APP_TITLE, FirstPaint, MainWindow

EXIT_OK, EXIT_UNUSABLE = 0, 2
# The application uses no pydantic plugins; looking for them reads every installed package's
# metadata (importlib.metadata) on the first model built, a tenth of a second at start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
PLUGIN_LOADER = "pydantic.plugin._loader"


def _skip_plugin_discovery() -> None:
    """With every plugin disabled, pydantic's plugin loader answers "none" without looking, but
    importing it still imports importlib.metadata (and email, socket…): ~20 ms and 3 MiB when
    the first model is built. In its place, a loader that gives the same answer; asked for
    anything else (another pydantic version), it steps aside for the real one."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") != "__all__" or PLUGIN_LOADER in sys.modules:
        return
    loader = types.ModuleType(PLUGIN_LOADER)

    def from_the_real_loader(name: str) -> object:
        import importlib

        if name.startswith("__"):  # __file__, __path__…: asked of every module, by anyone
            raise AttributeError(name)
        if sys.modules.get(PLUGIN_LOADER) is loader:
            del sys.modules[PLUGIN_LOADER]
        return getattr(importlib.import_module(PLUGIN_LOADER), name)

    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    loader.__getattr__ = from_the_real_loader  # type: ignore[method-assign]
    sys.modules[PLUGIN_LOADER] = loader


_skip_plugin_discovery()
BENCH_ENV = "WORKSHEET_BENCH_EXIT_ON_PAINT"


def _application() -> QApplication:
    from desktop.settings import APPLICATION, ORGANIZATION

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_TITLE)
    from desktop.settings import Preferences

    if Preferences.load().appearance == "dark":  # chosen dark: before the first paint
        from desktop import theme

        theme.apply("dark", app)
    app.setWindowIcon(application_icon())
    return app


def application_icon() -> QIcon:
    from models.paths import RESOURCES

    icon = QIcon()
    for size in (32, 64, 256):
        icon.addFile(str(RESOURCES / "icons" / f"worksheet-{size}.png"))
    return icon


def _finish_start(app: QApplication, window: MainWindow, case_path: Path | None,
                  reference_path: Path | None) -> None:
    from desktop import dialogs, viewer_copies
    from models.reference import ReferenceUnavailable, open_reference

    viewer_copies.remove_stale()
    window.statusBar().showMessage("Opening the reference database…")
    try:
        reference = open_reference(reference_path)
    except ReferenceUnavailable as exc:
        dialogs.error(
            window, "Reference database unavailable",
            f"The program cannot start without its reference database.\n\n{exc}",
            "Rebuild it with:  worksheet reference build\n"
            "or point --reference (or WORKSHEET_REFERENCE) at a built file.",
        )
        app.exit(EXIT_UNUSABLE)
        return
    window.attach(reference)

    def install_error_dialog() -> None:
        from desktop import errors

        errors.install(
            lambda summary, details: dialogs.error(window, "Unexpected error", summary, details),
            window.patient_values,
        )

    QTimer.singleShot(0, install_error_dialog)  # right after the first step is ready
    window.start(case_path)


def _bench_report(app: QApplication, label: str) -> None:
    # wall-clock time, peak memory (KiB), and this process's CPU time so far (s)
    print(f"{label} {time.time():.6f} {_peak_memory_kib()} {time.process_time():.6f}", flush=True)
    app.exit(EXIT_OK)


def launch_gui(case_path: Path | None, reference_path: Path | None) -> int:
    """Open the main window (and the case, if given); return the exit code."""
    collecting = gc.isenabled()
    # Start-up creates mostly objects that live as long as the program (modules, classes,
    # widgets, the reference's rows): hunting them for cycles ~90 times is wasted work.
    gc.disable()
    try:
        return _run(case_path, reference_path, collecting)
    finally:
        if collecting:
            gc.enable()


def _run(case_path: Path | None, reference_path: Path | None, collecting: bool) -> int:
    app = _application()
    window = MainWindow(deferred=True)
    bench = os.environ.get(BENCH_ENV, "")

    def start() -> None:
        if bench == "1":
            _bench_report(app, "painted")
            return
        _follow_system_scheme(app)
        window.build_shell()
        _finish_start(app, window, case_path, reference_path)
        if window.doc is None:
            return
        window.run_check()  # ready to work: the first step built and the case checked
        if bench == "ready":
            _bench_report(app, "ready")
            return
        QTimer.singleShot(0, window.build_remaining_pages)

    def after_paint() -> None:
        try:
            start()
        finally:
            if collecting:  # ready (or stopped): the collector runs as usual from here,
                gc.freeze()  # past start-up's objects, which live as long as the program
                gc.enable()

    FirstPaint(window, after_paint)
    window.show()
    return int(app.exec())


def _apply(mode: str) -> None:
    from desktop import theme

    theme.apply(mode)


def system_is_dark() -> bool:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def _follow_system_scheme(app: QApplication) -> None:
    """Light or "as the system": asking the system costs start-up time, so it is asked
    right after the first paint (the frame painted first is the loading line)."""
    from desktop.settings import Preferences

    mode = Preferences.load().appearance
    if mode == "system" and not system_is_dark():  # light now: import the theme on a change
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: _apply("system"))
        return
    from desktop import theme

    theme.apply(mode, app)


def _peak_memory_kib() -> int:
    """This process's own peak resident memory (VmHWM; unlike ru_maxrss it is not inherited
    from the parent across fork and exec). 0 where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    """The window's own entry point (a GUI script: no console window on Windows); an optional
    argument is a case file to open (what a desktop file manager passes)."""
    arguments = sys.argv[1:]
    return launch_gui(Path(arguments[0]) if arguments else None, None)
