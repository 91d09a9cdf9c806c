"""Extract many PDFs in worker processes: a wall-clock timeout and a memory cap per task, fallback, OCR, cache."""
from __future__ import annotations

import logging
import multiprocessing as mp
import time
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable

from .cache import ExtractCache
from .options import ExtractOptions
from .model import ExtractedPDF, ExtractionError, both_failed
from .ocr import ocr_missing_reason, ocr_page_words
from .pagekind import prose_percent
from .pages import apply_ocr, drop_ocr_running_lines, ocr_skipped_warning
from .pdfium import extract_with_pdfium
from .textlayer import extract_text_layer

log = logging.getLogger("indexer.extract")
Result = ExtractedPDF | ExtractionError
READY = ("ready",)
STARTUP_TIMEOUT = 120.0  # seconds a new worker may take to import its libraries on a loaded machine


def extract_many(paths: list[Path], options: ExtractOptions | None = None, *,
                 progress: Callable[[str], None] | None = None, cache_dir: str | Path | None = None,
                 cache: ExtractCache | None = None, warn: Callable[[str], None] | None = None,
                 prune: bool = True) -> dict[Path, Result]:
    """Extract every PDF (cached ones from the cache), in input order; each is a result or a Dutch reason.

    The cache is given as a folder or an ExtractCache (whose `hits` then counts the PDFs not read again). With
    prune, cache entries of PDFs not in `paths` are dropped; pass False when `paths` is only part of the corpus.
    """
    options = options or ExtractOptions()
    warn = warn or log.warning
    ocr_reason = ocr_missing_reason() if options.ocr else "uitgeschakeld met KENNISBANK_OCR=0"
    cache = cache or (ExtractCache(cache_dir) if cache_dir else None)
    paths = list(dict.fromkeys(Path(p) for p in paths))
    results: dict[Path, Result] = {}
    keys: dict[Path, str] = {}
    todo = []
    for path in paths:
        hit = None
        if cache:
            try:
                keys[path] = cache.key(path)
                hit = cache.get(keys[path], ocr_ready=ocr_reason is None)
            except OSError as exc:
                results[path] = ExtractionError(f"niet te lezen ({exc.strerror or exc})")
        if path in results or hit is not None:
            results.setdefault(path, hit)
            if progress:
                progress(path.name)
        else:
            todo.append(path)
    unread_scans = 0

    def finished(path: Path, result: Result, transient: bool = False) -> None:
        nonlocal unread_scans
        if isinstance(result, ExtractedPDF) and result.needs_ocr:
            unread_scans += len(result.needs_ocr)  # one summary below; per file only where OCR is missing
            if options.ocr:
                result.warnings.append(ocr_skipped_warning(result.needs_ocr))
        for note in result.warnings if isinstance(result, ExtractedPDF) else []:
            warn(f"{path.name}: {note}")
        for page in result.pages if isinstance(result, ExtractedPDF) else []:
            page.prose = prose_percent(page.text)  # of the final text (OCR included), before it is cached
        results[path] = result
        if cache and path in keys and not transient:
            cache.put(keys[path], result)
        if progress:
            progress(path.name)

    if todo:
        _Pool(options, ocr_ready=ocr_reason is None, finished=finished).run(todo)
    if unread_scans:
        pages = "1 gescande pagina is" if unread_scans == 1 else f"{unread_scans} gescande pagina's zijn"
        warn(f"OCR niet beschikbaar: {ocr_reason}. {pages} zonder tekst geïndexeerd; de rest is gewoon geïndexeerd.")
    if cache and prune:
        cache.prune()
    return {p: results[p] for p in paths}


class _Pool:
    """Runs text, fallback and OCR tasks on up to `options.workers` processes, replacing any that time out or die."""

    def __init__(self, options: ExtractOptions, ocr_ready: bool, finished):
        self.options, self.ocr_ready, self.finished = options, ocr_ready, finished
        self.ctx = mp.get_context("spawn")  # no fork: the parent may hold threads and open indexes
        self.queue: deque = deque()
        self.partial: dict[Path, ExtractedPDF] = {}
        self.ocr_left: dict[Path, int] = {}

    def run(self, paths: list[Path]) -> None:
        """Process every path to a finished result."""
        # Largest files first, so one big file does not start last and leave the other workers idle at the end.
        self.queue.extend(("text", path, None) for path in sorted(paths, key=_size, reverse=True))
        idle: list[_Worker] = []
        busy: dict = {}
        try:
            while self.queue or busy:
                while self.queue and (idle or len(idle) + len(busy) < self.options.workers):
                    worker = idle.pop() if idle else _Worker(self.ctx, self.options.memory_mb)
                    worker.start(self.queue.popleft(), self.options.timeout)
                    busy[worker.conn] = worker
                deadline = min(w.deadline for w in busy.values())
                for conn in wait(list(busy), timeout=max(0.0, deadline - time.monotonic())):
                    worker = busy.pop(conn)
                    task = worker.task
                    try:
                        reply = conn.recv()
                        if reply == READY:  # started up: only now does the task's clock start
                            worker.send_task(self.options.timeout)
                            busy[conn] = worker
                            continue
                    except (EOFError, OSError):
                        code = worker.stop()
                        how = f"signaal {-code}" if code and code < 0 else f"afsluitcode {code}"
                        self.failed(task, f"verwerking afgebroken ({how}; geheugen op?)", transient=True)
                        continue
                    worker.task = None
                    if reply[-1]:  # the worker retires after a MemoryError: its heap may be in a bad state
                        worker.stop()
                    else:
                        idle.append(worker)
                    if reply[0] == "ok":
                        self.done(task, reply[1])
                    else:
                        self.failed(task, reply[1], fallback=reply[2])
                now = time.monotonic()
                for conn, worker in list(busy.items()):
                    if now >= worker.deadline:
                        del busy[conn]
                        task, started = worker.task, worker.ready
                        worker.stop()
                        self.failed(task, f"tijdslimiet van {self.options.timeout:g} s overschreden" if started
                                    else "werkproces startte niet op tijd", transient=True)
        finally:
            for worker in idle + list(busy.values()):
                worker.stop(graceful=worker in idle)

    def done(self, task, value) -> None:
        kind, path, arg = task
        if kind == "ocr":
            apply_ocr(self.partial[path], arg, *value)
            self.ocr_step(path)
            return
        pdf = ExtractedPDF.from_dict(value)
        if pdf.needs_ocr and self.ocr_ready:
            self.partial[path], self.ocr_left[path] = pdf, len(pdf.needs_ocr)
            # OCR pages go to the front, so a scanned file finishes soon and its pages spread over the workers.
            self.queue.extendleft(("ocr", path, n) for n in reversed(pdf.needs_ocr))
        else:
            self.finished(path, pdf)

    def failed(self, task, reason: str, fallback: bool = True, transient: bool = False) -> None:
        kind, path, arg = task
        if kind == "ocr":
            self.partial[path].warnings.append(f"OCR van pagina {arg} mislukt ({reason})")
            self.ocr_step(path)
        elif kind == "text" and fallback:
            self.queue.appendleft(("pdfium", path, reason))
        elif kind == "text":
            self.finished(path, ExtractionError(reason))
        else:  # the fallback failed too: its own errors are final, a crash or timeout names both attempts
            self.finished(path, ExtractionError(both_failed(arg, reason) if fallback else reason),
                          transient=transient)

    def ocr_step(self, path: Path) -> None:
        self.ocr_left[path] -= 1
        if not self.ocr_left[path]:
            del self.ocr_left[path]
            pdf = self.partial.pop(path)
            drop_ocr_running_lines(pdf)
            self.finished(path, pdf)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, ctx, memory_mb: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.task, self.deadline, self.ready = None, 0.0, False

    def start(self, task, timeout: float) -> None:
        """Give the worker a task; a new worker gets it once it reports ready (imports do not count)."""
        self.task = task
        if self.ready:
            self.send_task(timeout)
        else:
            self.deadline = time.monotonic() + STARTUP_TIMEOUT

    def send_task(self, timeout: float) -> None:
        self.ready = True
        self.deadline = time.monotonic() + timeout
        self.conn.send(self.task)

    def stop(self, graceful: bool = False) -> int | None:
        """End the process (politely when idle) and return its exit code."""
        if graceful:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()
        code = self.process.exitcode
        self.process.close()
        return code


def _serve(conn, memory_mb: int) -> None:
    """Worker process: cap the address space, then run tasks from the pipe until told to stop."""
    import subprocess

    # pdfminer logs a warning for every harmless oddity (e.g. "should not allow text extraction"); results and
    # failures reach the build report through the pipe instead.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from wordfreq import zipf_frequency

    zipf_frequency("gemeente", "nl"), zipf_frequency("council", "en")  # load both word lists before reporting
    # ready: a task's clock starts after that
    if memory_mb:
        try:
            import resource

            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
        except (ImportError, ValueError, OSError):
            pass  # no address-space limits on this platform; the timeout still applies
    try:
        conn.send(READY)
    except (OSError, KeyboardInterrupt):
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        kind, path, arg = task
        retire = False
        try:
            if kind == "text":
                reply = ("ok", extract_text_layer(Path(path)).to_dict())
            elif kind == "pdfium":
                reply = ("ok", extract_with_pdfium(Path(path), after=arg).to_dict())
            else:
                reply = ("ok", ocr_page_words(path, arg))
        except ExtractionError as exc:
            reply = ("error", str(exc), exc.fallback)
        except MemoryError:
            reply, retire = ("error", "geheugenlimiet overschreden", True), True
        except subprocess.TimeoutExpired:
            reply = ("error", "tesseract te traag", False)
        except subprocess.CalledProcessError as exc:
            reply = ("error", f"tesseract faalde: {exc.stderr.decode('utf-8', 'replace')[-200:].strip()}", False)
        except Exception as exc:  # any other failure of one file must not stop the build
            reply = ("error", f"{type(exc).__name__}: {str(exc)[:120]}", True)
        try:
            conn.send(reply + (retire,))
        except (OSError, KeyboardInterrupt):
            return
        if retire:
            return
