"""macros/repository.py: a clone's git remote, as the web address its pages link to."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from macros.repository import git_remote, local_repo_url, repo_name, web_url

FORK = "https://github.com/someone/fork"


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        # ssh, as GitHub's "Clone" button gives it, and as a URL
        ("git@github.com:someone/fork.git", FORK),
        ("git@github.com:someone/fork", FORK),
        ("ssh://git@github.com/someone/fork.git", FORK),
        ("ssh://git@github.com:22/someone/fork.git", FORK),
        ("github.com:someone/fork.git", FORK),
        # https, with and without .git, a trailing slash, or credentials
        ("https://github.com/someone/fork.git", FORK),
        ("https://github.com/someone/fork", FORK),
        ("https://github.com/someone/fork/", FORK),
        ("https://someone:token@github.com/someone/fork.git", FORK),
        ("git://github.com/someone/fork.git", FORK),
        ("  https://GitHub.com/someone/fork.git\n", FORK),
        # another host, and nested groups
        ("git@git.example.org:team/sub/site.git", "https://git.example.org/team/sub/site"),
        ("https://ghe.example.com/someone/fork.git", "https://ghe.example.com/someone/fork"),
    ],
)
def test_a_hosted_remote_becomes_its_web_address(remote: str, expected: str) -> None:
    assert web_url(remote) == expected


@pytest.mark.parametrize(
    "remote",
    [
        None,
        "",
        # a local path, in each form git accepts
        "/srv/git/fork.git",
        "../fork",
        "./fork.git",
        "fork",
        "file:///srv/git/fork.git",
        "C:\\src\\fork",
        "C:/src/fork",
        # a host with no owner/name
        "https://github.com/",
        "https://github.com/fork.git",
        "git@github.com:fork.git",
    ],
)
def test_anything_else_gives_no_address(remote: str | None) -> None:
    assert web_url(remote) is None


def test_the_header_names_the_repository_owner_slash_name() -> None:
    assert repo_name(FORK) == "someone/fork"
    assert repo_name(FORK + "/") == "someone/fork"
    assert repo_name("https://git.example.org/team/sub/site") == "team/sub/site"
    assert repo_name("https://github.com/") is None


# --- reading the remote from git ---------------------------------------------------


@pytest.fixture
def outside_any_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory git will not search above, so an enclosing repository cannot answer."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    directory = tmp_path / "project"
    directory.mkdir()
    return directory


def git(directory: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(directory), *args], check=True, capture_output=True, timeout=30)


def test_a_clone_links_to_its_origin(outside_any_repository: Path) -> None:
    git(outside_any_repository, "init", "--quiet")
    git(outside_any_repository, "remote", "add", "origin", "git@github.com:someone/fork.git")
    git(outside_any_repository, "remote", "add", "upstream", "https://github.com/upstream/site.git")
    assert git_remote(outside_any_repository) == "git@github.com:someone/fork.git"
    assert local_repo_url(outside_any_repository) == FORK
    # Any folder inside the clone answers the same.
    (outside_any_repository / "docs").mkdir()
    assert local_repo_url(outside_any_repository / "docs") == FORK


def test_a_repository_without_an_origin_gives_none(outside_any_repository: Path) -> None:
    git(outside_any_repository, "init", "--quiet")
    assert git_remote(outside_any_repository) is None
    git(outside_any_repository, "remote", "add", "upstream", "https://github.com/upstream/site.git")
    assert local_repo_url(outside_any_repository) is None


def test_an_origin_that_is_a_local_path_gives_none(outside_any_repository: Path, tmp_path: Path) -> None:
    git(outside_any_repository, "init", "--quiet")
    git(outside_any_repository, "remote", "add", "origin", str(tmp_path / "elsewhere.git"))
    assert git_remote(outside_any_repository) == str(tmp_path / "elsewhere.git")
    assert local_repo_url(outside_any_repository) is None


def test_a_directory_outside_git_gives_none(outside_any_repository: Path) -> None:
    assert git_remote(outside_any_repository) is None
    assert local_repo_url(outside_any_repository) is None


def test_without_git_installed_it_gives_none(outside_any_repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(outside_any_repository))
    assert git_remote(outside_any_repository) is None
