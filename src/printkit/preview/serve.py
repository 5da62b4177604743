"""`printkit serve`: a preview of the real printed pages, rebuilt on every save.

The server only calls the build, then rasterises the PDF pages it rebuilt: what the
designer sees is what prints, trim line and bleed included. It answers from its start: until
its first build ends, the page says that build is running. A data, template or CSS
error is shown in the page; the next good save recovers. So is a bug: it is logged with its
traceback and the server keeps watching. SIGINT, SIGTERM and SIGHUP stop the server and
its worker processes; a worker that dies (the kernel's out-of-memory killer) is replaced.
"""

import functools
import io
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

import watchfiles

from printkit.errors import PrintkitError
from printkit.files import write_atomic
from printkit.pipeline.build import BuildRequest, Report, build
from printkit.pipeline.workers import die_with_parent, worker_pool
from printkit.units import PT_PER_INCH, pt_to_mm

log = logging.getLogger("printkit")
PREVIEW_DPI = 72
PREVIEW = ".printkit/preview"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # Ctrl-C; systemd, Docker, kill; a closed terminal
BACKLOG = 128  # connections the kernel holds while every thread is busy; http.server's 5 dropped a burst's
THREADS = 32  # requests answered at once, each on a thread of its own; a browser opens 6 at most
CONNECTION_TIMEOUT = 30  # seconds a connection may stay silent before it is closed, and its thread freed
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")  # the names a browser on this machine reaches the server by
HOST_HEADER = re.compile(r"(\[[0-9a-fA-F:.]*\]|[^:\[\]]*)(?::\d{1,5})?")  # a name, or an IPv6 address in brackets
FIRST_BUILD = b'<p id="first-build">'  # preview.html's message, shown until the first build ends
REFUSED = ("printkit serve answers only requests for 127.0.0.1, localhost or [::1]; "
           "to open the preview under another name, start it with --allow-host NAME\n")


class Stopped(BaseException):
    """Raised in the main thread by a stop signal; not an Exception, so that no error handler swallows it."""


class Workers:
    """The server's warm worker processes: a pool that is replaced when a worker dies, and stopped at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stopped = False
        self.pool = _pool()

    def replace(self) -> bool:
        """Start a new pool after a worker died; False once the server is stopping."""
        with self.lock:
            if self.stopped:
                return False
            self.pool.shutdown(wait=False, cancel_futures=True)  # broken already: its other workers are gone
            self.pool = _pool()
            return True

    def stop(self) -> None:
        """Kill every worker, even one in the middle of a layout, which shutting the pool down would wait for.

        Nothing in a worker needs cleaning up: every file is written atomically. After the
        pool's shutdown no new worker can start (it forks under the lock shutdown takes), so
        the children listed here are all of them.
        """
        with self.lock:
            self.stopped = True
            # The pool's manager thread sees its workers gone and closes its wake-up pipe: it is waited
            # for below, or the interpreter's exit hook may write to that pipe as it closes (Python 3.11,
            # « Bad file descriptor »). A shutdown without waiting forgets the thread, so it is kept first.
            manager = getattr(self.pool, "_executor_manager_thread", None)
            self.pool.shutdown(wait=False, cancel_futures=True)
        children = multiprocessing.active_children()
        for child in children:
            child.kill()
        for child in children:
            child.join(1)
        if manager is not None:
            manager.join(2)


def _pool() -> ProcessPoolExecutor:
    """Warm workers, started now: a rebuild skips imports, fonts, QR codes, even the first edit
    after a start that had nothing to build. They are forked by the thread that calls this (the
    main thread, or the builds' thread after a worker died), both of which live as long as the server."""
    pool = worker_pool(os.cpu_count(), _start_worker)
    for _ in range(os.cpu_count()):
        pool.submit(int)
    return pool


def _start_worker(server: int) -> None:
    _leave_stopping_to_the_server()
    die_with_parent(server)
    from printkit.pipeline.make import warm_up

    warm_up()


def _leave_stopping_to_the_server() -> None:
    """In each worker, first: ignore the signals that stop the server, which stops its workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole terminal group; the server stops us
    for number in (signal.SIGTERM, signal.SIGHUP):  # fork copied the server's handlers, which raise Stopped
        signal.signal(number, signal.SIG_DFL)


@dataclass
class PreviewState:
    """What the page shows: the materials and their page images, or the last error."""

    version: int = 0
    building: bool = False
    error: str = ""
    materials: list[dict] = field(default_factory=list)
    built_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    rebuilding: threading.Lock = field(default_factory=threading.Lock)  # one rebuild at a time

    def page(self, page: bytes) -> bytes:
        """The page, its first-build message hidden once a build has ended: a page loaded then does
        not show it until its first poll (the page hides it itself when the build it shows ends)."""
        return page.replace(FIRST_BUILD, b'<p id="first-build" hidden>') if self.built_at else page

    def as_json(self) -> bytes:
        """The state the browser polls."""
        with self.lock:
            data = {"version": self.version, "building": self.building, "error": self.error, "materials": self.materials,
                    "built_at": self.built_at}
        return json.dumps(data, ensure_ascii=False).encode()


def rebuild(request: BuildRequest, state: PreviewState, workers: Workers) -> None:
    """Build what changed, publishing each file's pages as soon as it is written, then the new state (or the error).

    It raises nothing: an error, even a bug, is shown in the page and the last good pages stay.
    """
    with state.rebuilding:  # a caller on another thread waits for its turn
        _rebuild(request, state, workers)


def _rebuild(request: BuildRequest, state: PreviewState, workers: Workers) -> None:
    with state.lock:
        state.building = True
        state.version += 1
    try:
        error, materials = _outcome(request, state, _build(request, state, workers))
    except PrintkitError as failure:
        error, materials = failure.format_message(), _last_good_all(request.out, state)
    except Exception as bug:  # anything else is a bug, but the preview must go on with the next save
        if workers.stopped:  # the server is stopping and killed the workers under this build
            return
        log.exception("the rebuild failed unexpectedly")
        error, materials = f"the rebuild failed unexpectedly (the server's log has the traceback): " \
                           f"{type(bug).__name__}: {bug}", _last_good_all(request.out, state)
    with state.lock:
        state.error = error
        state.building = False
        state.materials = materials if materials is not None else state.materials
        state.version += 1
        state.built_at = time.time()
        _forget_old_images(request.out, state.materials)


def _build(request: BuildRequest, state: PreviewState, workers: Workers) -> Report:
    """The build, on new workers if one of the pool's died (killed for lack of memory, say) before or during it."""
    progress = functools.partial(_show, request.out, state)
    provisional = functools.partial(_show_provisional, request.out, state)
    try:
        return build(request, workers.pool, progress, provisional)
    except BrokenProcessPool:
        if not workers.replace():
            raise
        log.warning("a worker process died (out of memory?); building again with new workers")
        return build(request, workers.pool, progress, provisional)


def _outcome(request: BuildRequest, state: PreviewState, report: Report) -> tuple[str, list[dict]]:
    """The errors of a build and the materials to show: the files built now are shown already; a failed
    file keeps its last good pages."""
    error = "\n".join(f"{o.path}: {o.error}" for o in report.outputs if o.error)
    with state.lock:
        shown = {material["name"]: material for material in state.materials}
    materials = [_last_good(request.out, shown.get(o.path)) or (None if o.error else _pages(request.out, o.path))
                 for o in report.outputs]
    return error, [material for material in materials if material]


def _last_good_all(out: Path, state: PreviewState) -> list[dict]:
    with state.lock:
        shown = list(state.materials)
    return [material for material in (_last_good(out, m) for m in shown) if material]


def _last_good(out: Path, material: dict | None) -> dict | None:
    """What to show of a material after its build: pages shown ahead of a build that then failed
    give way to the last good file's."""
    if material is None or not material.get("provisional"):
        return material
    return _pages(out, material["name"]) if (out / material["name"]).is_file() else None


def _show(out: Path, state: PreviewState, output) -> None:
    """Publish one file's new pages while the others still build: the designer sees the booklet before its checks end."""
    if output.error:
        return
    material = _pages(out, output.path)
    with state.lock:
        names = [shown["name"] for shown in state.materials]
        if material["name"] in names:
            state.materials[names.index(material["name"])] = material
        else:
            state.materials.append(material)
        state.version += 1


def _show_provisional(out: Path, state: PreviewState, provisional) -> None:
    """Show the booklet pages an edit touched, laid out alone, or a draft of the whole booklet,
    until the full build's pages replace them. When the pages after a window moved (``settled``
    is false), those are marked stale.
    """
    window = _pages(out, provisional.pdf)["pages"]
    with state.lock:
        names = [material["name"] for material in state.materials]
        if provisional.path not in names and not provisional.whole:
            return  # a window, but no pages yet to set it in (the server's first build)
        if provisional.path not in names:  # the first build: a draft, shown with its own PDF
            names.append(provisional.path)
            state.materials.append({"name": provisional.path, "pdf": provisional.pdf, "pages": []})
        shown = state.materials[names.index(provisional.path)]
        first = provisional.first
        pages = window if provisional.whole else shown["pages"][:first] + window + shown["pages"][first + len(window):]
        stale = None if provisional.settled else first + len(window)
        state.materials[names.index(provisional.path)] = shown | {"pages": pages, "provisional": True,
                                                                   "stale_from": stale}
        state.version += 1


def _forget_old_images(out: Path, materials: list[dict]) -> None:
    """Delete page images no material shows any more, so that a long session does not fill the disk."""
    shown = {Path(page["image"]).name for material in materials for page in material["pages"]}
    for image in (out / PREVIEW).glob("*"):
        if image.name in shown:
            continue
        if image.is_dir():  # a folder of images from before they were named by page
            shutil.rmtree(image, ignore_errors=True)
        else:
            image.unlink(missing_ok=True)


def _pages(out: Path, name: str) -> dict:
    """Page images of one PDF, each named by what the page draws: a page that did not change is
    not rendered again (a stylesheet edit for the cover redraws the cover's pages only)."""
    import pypdfium2 as pdfium

    from printkit.render.drawing import page_digests

    data = (out / name).read_bytes()
    document = pdfium.PdfDocument(data)
    pages = []
    for index, digest in enumerate(page_digests(data)):
        image = out / PREVIEW / f"{digest[:32]}.png"
        if not image.exists():
            write_atomic(image, _png(document[index]), durable=False)
        pages.append({"image": str(image.relative_to(out)), **_boxes(document[index])})
    return {"name": name, "pdf": name, "pages": pages}


def _png(page) -> bytes:
    buffer = io.BytesIO()
    page.render(scale=PREVIEW_DPI / PT_PER_INCH, may_draw_forms=True).to_pil().save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _boxes(page) -> dict:
    """The trim box as fractions of the media box, for the trim line drawn over the image."""
    media = page.get_mediabox()
    trim = page.get_trimbox()
    width, height = media[2] - media[0], media[3] - media[1]
    return {"trim": [(trim[0] - media[0]) / width, (media[3] - trim[3]) / height,
                     (trim[2] - trim[0]) / width, (trim[3] - trim[1]) / height],
            "width_mm": round(pt_to_mm(width), 1), "height_mm": round(pt_to_mm(height), 1)}


def watched(request: BuildRequest) -> list[Path]:
    """The folders whose changes trigger a rebuild: the programme, the designer's layouts (the
    campaign's layouts/ when it holds one as the server starts) and the built-in layouts."""
    return [request.root / "programme", *request.layout_folders]


def watch(request: BuildRequest, changed: threading.Event, stop: threading.Event) -> None:
    """Ask for a rebuild after each burst of saves has settled."""
    for _ in watchfiles.watch(*watched(request), debounce=200, step=50, stop_event=stop,
                              watch_filter=_source_files):
        changed.set()


def build_on_change(request: BuildRequest, state: PreviewState, workers: Workers, changed: threading.Event) -> None:
    """Build whenever ``changed`` is set, the saves made during a build once after it.

    All builds run on this thread, which lives as long as the server: a pool that replaces one
    whose worker died is forked here, and its workers die with the thread that forked them.
    """
    while True:
        changed.wait()
        changed.clear()
        rebuild(request, state, workers)


def _source_files(change, path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and not name.endswith(("~", ".swp", ".part"))


class PreviewServer(ThreadingHTTPServer):
    """At most THREADS requests answered at once; the next ones wait in a listen backlog of BACKLOG."""

    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type) -> None:
        self.threads = threading.BoundedSemaphore(THREADS)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        """Answer on a new thread once one of the THREADS is free: until then, accept no more."""
        self.threads.acquire()
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        """Answer, then free the thread's place."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.threads.release()


def host_allowed(header: str | None, names: frozenset[str]) -> bool:
    """Whether a request's Host header is one of ``names`` (in lower case), on any port.

    A web page whose own name is pointed at 127.0.0.1 (DNS rebinding) could otherwise read the
    drafts: the browser sends it the page's name.
    """
    match = HOST_HEADER.fullmatch(header or "")
    return match is not None and match[1].lower() in names


def make_server(request: BuildRequest, state: PreviewState, host: str, port: int,
                allowed_hosts: tuple[str, ...] = ()) -> ThreadingHTTPServer:
    """The HTTP server: the page, its state, and the files under the output folder, for requests
    to this machine's loopback names or to ``allowed_hosts``."""
    page = files("printkit.preview").joinpath("preview.html").read_bytes()
    out = request.out.resolve()
    names = frozenset(name.lower() for name in (*LOCAL_NAMES, *allowed_hosts))

    class Handler(BaseHTTPRequestHandler):
        timeout = CONNECTION_TIMEOUT  # read when the server is made: a test sets a shorter one first

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            path = self.path.split("?")[0]
            if not host_allowed(self.headers.get("Host"), names):
                self._send(REFUSED.encode(), "text/plain; charset=utf-8", HTTPStatus.FORBIDDEN)
            elif path == "/":
                self._send(state.page(page), "text/html; charset=utf-8")
            elif path == "/state.json":
                self._send(state.as_json(), "application/json")
            elif path.startswith("/files/"):
                self._file(path.removeprefix("/files/"))
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def _file(self, name: str) -> None:
            target = (out / name).resolve()
            if not target.is_relative_to(out) or not target.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            kind = "application/pdf" if target.suffix == ".pdf" else "image/png"
            self._send(target.read_bytes(), kind)

        def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
            except ConnectionError:  # the browser went away (a reload, a closed tab): not worth a traceback
                pass

        def log_message(self, *args) -> None:
            pass

    try:
        return PreviewServer((host, port), Handler)
    except OSError as error:  # before the first build: a port in use fails at once
        raise PrintkitError(f"cannot serve on {host}:{port}: {error.strerror}; choose another --port") from None


def serve(request: BuildRequest, host: str, port: int, allowed_hosts: tuple[str, ...] = ()) -> None:
    """Serve the preview at once, build, then rebuild on every change until a stop signal."""
    state = PreviewState()
    server = make_server(request, state, host, port, allowed_hosts)
    workers = Workers()
    stop, changed = threading.Event(), threading.Event()
    changed.set()  # the first build
    _stop_on_signals()
    try:
        # watching from the start: a save during the first build is rebuilt after it, not missed
        threading.Thread(target=watch, args=(request, changed, stop), daemon=True).start()
        threading.Thread(target=build_on_change, args=(request, state, workers, changed), daemon=True).start()
        log.info("preview on http://%s:%d/ (Ctrl-C to stop)", host, server.server_address[1])
        server.serve_forever()
    except Stopped as stopped:
        log.info("stopping (%s)", signal.Signals(stopped.args[0]).name)
    finally:
        stop.set()
        workers.stop()
        server.server_close()


def _stop_on_signals() -> None:
    """Each stop signal raises Stopped in the main thread, out of the HTTP loop."""
    def handler(number: int, frame) -> None:
        for each in STOP_SIGNALS:  # a second signal kills at once; the workers die with the server (PDEATHSIG)
            signal.signal(each, signal.SIG_DFL)
        raise Stopped(number)

    for number in STOP_SIGNALS:
        signal.signal(number, handler)
