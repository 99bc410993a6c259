"""Playwright in a thread of its own, so the test thread keeps its Django database connection.

Why: Playwright's sync API marks an asyncio event loop as running in the thread that uses it,
also between calls. Django keeps its connections in an asgiref `Local` that switches to a
separate context-variable store whenever a loop is running, so a test that drove Playwright in
its own thread got a *second* connection: not the one pytest-django set up, whose serialized
copy of the data migrations' rows `serialized_rollback` restores. The restore then did nothing
and the flush after each transactional test emptied the taxonomy and the Curators group.

Here Playwright lives in one dedicated thread. Tests hold `Remote` proxies: each attribute read
or method call runs in that thread and Playwright objects come back wrapped again. Callbacks
given to Playwright (e.g. a URL predicate) run in the Playwright thread: keep them free of ORM
calls.
"""

import concurrent.futures
import queue
import threading

from playwright.sync_api import expect as playwright_expect


class PlaywrightThread:
    """One thread that runs every Playwright call, in the order they come."""

    def __init__(self):
        self._calls = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="playwright", daemon=True)
        self._thread.start()

    def _serve(self):
        while (item := self._calls.get()) is not None:
            future, function, args, kwargs = item
            try:
                future.set_result(function(*args, **kwargs))
            except BaseException as error:  # handed back to the caller, raised there
                future.set_exception(error)

    def call(self, function, *args, **kwargs):
        if threading.current_thread() is self._thread:  # a callback already in this thread
            return function(*args, **kwargs)
        future = concurrent.futures.Future()
        self._calls.put((future, function, args, kwargs))
        return future.result()

    def stop(self):
        self._calls.put(None)
        self._thread.join(timeout=30)


def _is_playwright_object(value) -> bool:
    return type(value).__module__.startswith("playwright.")


class Remote:
    """A Playwright object that lives in the Playwright thread, used from the test thread."""

    __slots__ = ("_target", "_thread")

    def __init__(self, target, thread: PlaywrightThread):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_thread", thread)

    def _wrap(self, value):
        if isinstance(value, list | tuple):
            return type(value)(self._wrap(item) for item in value)
        if _is_playwright_object(value):
            return Remote(value, self._thread)
        return value

    def __getattr__(self, name):
        value = self._thread.call(getattr, self._target, name)
        if callable(value) and not _is_playwright_object(value):

            def method(*args, **kwargs):
                return self._wrap(self._thread.call(value, *_unwrap(args), **_unwrap(kwargs)))

            return method
        return self._wrap(value)

    def __setattr__(self, name, value):
        self._thread.call(setattr, self._target, name, _unwrap(value))

    def __repr__(self):
        return f"Remote({self._thread.call(repr, self._target)})"


def _unwrap(value):
    if isinstance(value, Remote):
        return value._target
    if isinstance(value, list | tuple):
        return type(value)(_unwrap(item) for item in value)
    if isinstance(value, dict):
        return {key: _unwrap(item) for key, item in value.items()}
    return value


def expect(actual: Remote, message: str | None = None) -> Remote:
    """Playwright's `expect`, for a proxied page or locator."""
    return Remote(actual._thread.call(playwright_expect, actual._target, message), actual._thread)


def run(remote: Remote, function, *args, **kwargs):
    """Run `function(playwright_object, ...)` in the Playwright thread (e.g. an axe-core scan)."""
    return remote._thread.call(function, remote._target, *args, **kwargs)
