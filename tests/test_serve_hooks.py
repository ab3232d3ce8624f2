"""macros/serve_hooks.py: `mkdocs serve` polls for saved files every tenth of a second, watching what it watched before.

How soon a save is served is measured by scripts/build_bench.py, not asserted here.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from tests.conftest import ROOT, load_script


def test_the_server_it_hands_back_polls_every_tenth_of_a_second_and_watches_the_same(tmp_path: Path) -> None:
    hooks = load_script("macros/serve_hooks.py")
    config = load_config(str(ROOT / "mkdocs.yml"))

    def builder() -> None:
        pass

    server = LiveReloadServer(builder=builder, host="127.0.0.1", port=8000, root=str(tmp_path), mount_path="/")
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    first = server.error_handler
    quicker = hooks.on_serve(server, config=config, builder=builder)
    assert isinstance(quicker, LiveReloadServer) and quicker is not server
    assert server.observer.timeout == 0.5  # MkDocs' own interval, which the hook replaces
    assert quicker.observer.timeout == hooks.POLL_SECONDS == 0.1
    assert watched(quicker) == watched(server) and len(watched(server)) == 2
    assert quicker.builder is builder and quicker.error_handler is first
    assert (quicker.root, quicker.mount_path, quicker.server_address) == (str(tmp_path), "/", ("127.0.0.1", 8000))
    assert server.socket.fileno() == -1  # the first server's socket is closed: it never served
    quicker.server_close()


def watched(server: LiveReloadServer) -> set[tuple[str, bool]]:
    """What a server's file watcher watches: each path, and whether below it too."""
    return {(emitter.watch.path, emitter.watch.is_recursive) for emitter in server.observer.emitters}
