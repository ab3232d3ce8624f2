"""The repository a local build links to: its git remote, as a web address.

The workflows pass the repository through REPO_URL (read in mkdocs.yml); a local
build without it asks git for the remote `origin`, so a fork's clone links to the
fork. Anything that is not a hosted repository (a local path, no remote, no git)
gives None, and mkdocs.yml's default applies.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

REMOTE = "origin"
# scp-like syntax, as git reads it: [user@]host:path, with no slash before the colon.
SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^@/:]+):(?P<path>[^/].*)$")
HOSTED_SCHEMES = {"https", "http", "ssh", "git", "git+ssh", "ssh+git"}


def web_url(remote: str | None) -> str | None:
    """`git@github.com:o/r.git` or `https://github.com/o/r.git` -> `https://github.com/o/r`; a local path -> None."""
    remote = (remote or "").strip()
    if not remote:
        return None
    if "://" in remote:
        parts = urlsplit(remote)
        if parts.scheme.lower() not in HOSTED_SCHEMES:
            return None  # file:// and other local transports
        # hostname drops any user or token and the port (an ssh port is no web port).
        host, path = parts.hostname, parts.path
    else:
        match = SCP_LIKE.match(remote)
        # A one-letter "host" is a Windows drive (C:\repo), which git reads as a path.
        if match is None or len(match["host"]) == 1:
            return None
        host, path = match["host"], match["path"]
    path = path.strip("/").removesuffix(".git").strip("/")
    # owner/name at least; GitLab nests groups deeper.
    if not host or path.count("/") < 1 or "" in path.split("/"):
        return None
    return f"https://{host.lower()}/{path}"


def repo_name(url: str) -> str | None:
    """`https://github.com/o/r` -> `o/r`, the label of the header's repository link."""
    path = urlsplit(url).path.strip("/").removesuffix(".git")
    return path or None


def git_remote(directory: Path) -> str | None:
    """The URL of the remote `origin` of the git repository holding `directory`, if any."""
    try:
        result = subprocess.run(
            ["git", "-C", str(directory), "remote", "get-url", REMOTE],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git installed, or it hung
    if result.returncode != 0:
        return None  # not a repository, or no such remote
    return result.stdout.strip() or None


def local_repo_url(directory: Path) -> str | None:
    """The web address of the repository holding `directory`, from its git remote, or None."""
    return web_url(git_remote(directory))
