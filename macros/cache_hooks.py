"""MkDocs hooks: put macros/caches.py's stores in place for each build.

mkdocs.yml keeps naming `pymdownx.highlight` with its options: MkDocs loads the
extensions it names before the macros plugin has put the project on sys.path, so it
could not load one from macros/ by name. By these hooks' turn it can, and the stores
live in macros.caches, which stays loaded across the rebuilds of `mkdocs serve`
(this file is read anew at each).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

HIGHLIGHT = "pymdownx.highlight"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Put the caching highlighter in pymdownx.highlight's place, with the same options, and read the blocks kept on disk."""
    # imported late: the macros plugin puts the project on sys.path
    from macros.caches import HIGHLIGHTS, CachedHighlightExtension, cache_dir

    directory = cache_dir()
    HIGHLIGHTS.open(directory / "highlighted.json" if directory else None)

    extensions = config.markdown_extensions
    if HIGHLIGHT in extensions:
        extensions[extensions.index(HIGHLIGHT)] = CachedHighlightExtension(**config.mdx_configs.get(HIGHLIGHT, {}))
    return config


def on_env(env: Any, config: MkDocsConfig, files: Files) -> None:
    """Let the theme's templates and the highlighted blocks of an earlier build or rebuild be used again."""
    from macros.caches import TEMPLATES, cache_dir

    directory = cache_dir()
    TEMPLATES.use(directory / "templates" if directory else None)
    env.bytecode_cache = TEMPLATES


def on_post_build(config: MkDocsConfig) -> None:
    """Keep the blocks this build highlighted for the next one."""
    from macros.caches import HIGHLIGHTS

    HIGHLIGHTS.save()
