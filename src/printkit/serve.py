"""`printkit serve`: a preview of the real printed pages, rebuilt on every save.

The server only calls the build, then rasterises the PDF pages it rebuilt: what the
designer sees is what prints, trim line and bleed included. A data, template or CSS
error is shown in the page; the next good save recovers.
"""

import hashlib
import io
import json
import logging
import os
import shutil
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

import watchfiles

from .build import BuildRequest, build
from .errors import PrintkitError
from .files import write_atomic

log = logging.getLogger("printkit")
PREVIEW_DPI = 72
PREVIEW = ".printkit/preview"


@dataclass
class PreviewState:
    """What the page shows: the materials and their page images, or the last error."""

    version: int = 0
    building: bool = False
    error: str = ""
    materials: list[dict] = field(default_factory=list)
    built_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        """The state the browser polls."""
        with self.lock:
            data = {"version": self.version, "building": self.building, "error": self.error, "materials": self.materials,
                    "built_at": self.built_at}
        return json.dumps(data, ensure_ascii=False).encode()


def rebuild(request: BuildRequest, state: PreviewState, pool: ProcessPoolExecutor) -> None:
    """Build what changed, publishing each file's pages as soon as it is written, then the new state (or the error)."""
    with state.lock:
        state.building = True
        state.version += 1
    try:
        report = build(request, pool, progress=lambda output: _show(request.out, state, output))
        error = "\n".join(f"{o.path}: {o.error}" for o in report.outputs if o.error)
        with state.lock:  # the files built now are shown already; a failed file keeps its last good pages
            shown = {material["name"]: material for material in state.materials}
        materials = [shown.get(o.path) or (None if o.error else _pages(request.out, o.path)) for o in report.outputs]
        materials = [material for material in materials if material]
    except PrintkitError as failure:
        error, materials = failure.format_message(), None
    with state.lock:
        state.error = error
        state.building = False
        state.materials = materials if materials is not None else state.materials
        state.version += 1
        state.built_at = time.time()
        _forget_old_images(request.out, state.materials)


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


def _forget_old_images(out: Path, materials: list[dict]) -> None:
    """Delete page images no material shows any more, so that a long session does not fill the disk."""
    shown = {Path(page["image"]).parent.name for material in materials for page in material["pages"]}
    for folder in (out / PREVIEW).glob("*"):
        if folder.name not in shown:
            shutil.rmtree(folder, ignore_errors=True)


def _pages(out: Path, name: str) -> dict:
    """Page images of one PDF, rendered once per PDF content."""
    import pypdfium2 as pdfium

    data = (out / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = out / PREVIEW / digest
    document = pdfium.PdfDocument(data)
    pages = []
    for index in range(len(document)):
        page = document[index]
        image = folder / f"{index + 1}.png"
        if not image.exists():
            write_atomic(image, _png(page), durable=False)
        pages.append({"image": str(image.relative_to(out)), **_boxes(page)})
    return {"name": name, "pdf": name, "pages": pages}


def _png(page) -> bytes:
    buffer = io.BytesIO()
    page.render(scale=PREVIEW_DPI / 72, may_draw_forms=True).to_pil().save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _boxes(page) -> dict:
    """The trim box as fractions of the media box, for the trim line drawn over the image."""
    media = page.get_mediabox()
    trim = page.get_trimbox()
    width, height = media[2] - media[0], media[3] - media[1]
    return {"trim": [(trim[0] - media[0]) / width, (media[3] - trim[3]) / height,
                     (trim[2] - trim[0]) / width, (trim[3] - trim[1]) / height],
            "width_mm": round(width / 72 * 25.4, 1), "height_mm": round(height / 72 * 25.4, 1)}


def watched(request: BuildRequest) -> list[Path]:
    """The folders whose changes trigger a rebuild."""
    return [request.root / "programme", *request.layout_folders, request.root / "fonts"]


def watch(request: BuildRequest, state: PreviewState, pool: ProcessPoolExecutor, stop: threading.Event) -> None:
    """Rebuild after each burst of saves has settled."""
    for _ in watchfiles.watch(*watched(request), debounce=200, step=50, stop_event=stop,
                              watch_filter=_source_files):
        rebuild(request, state, pool)


def _source_files(change, path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and not name.endswith(("~", ".swp", ".part"))


def make_server(request: BuildRequest, state: PreviewState, host: str, port: int) -> ThreadingHTTPServer:
    """The HTTP server: the page, its state, and the files under the output folder."""
    page = files("printkit").joinpath("preview.html").read_bytes()
    out = request.out.resolve()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            path = self.path.split("?")[0]
            if path == "/":
                self._send(page, "text/html; charset=utf-8")
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

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)


def serve(request: BuildRequest, host: str, port: int) -> None:
    """Build once, then serve the preview and rebuild on every change until interrupted."""
    state = PreviewState()
    pool = ProcessPoolExecutor(os.cpu_count())  # warm workers: a rebuild skips imports, fonts, QR codes
    rebuild(request, state, pool)
    server = make_server(request, state, host, port)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(request, state, pool, stop), daemon=True)
    watcher.start()
    log.info("preview on http://%s:%d/ (Ctrl-C to stop)", host, server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        pool.shutdown(cancel_futures=True)
