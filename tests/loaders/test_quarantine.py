"""Quarantine files are private and erasure can rewrite them without losing anyone else's entry."""

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loaders.quarantine import Quarantine, counts, private_directory, purge


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask there is: modes must not depend on it."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _put(quarantine: Quarantine, who: str, n: int = 0) -> None:
    quarantine.put(file="f.csv", line=n, source="crm", mapping="customers", raw={"name": who}, reasons=["bad"])


def _names(path: Path) -> list[str]:
    return [json.loads(line)["raw"]["name"] for line in path.read_text(encoding="utf-8").splitlines()]


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _is_ann(entry: dict[str, Any]) -> bool:
    return isinstance(entry.get("raw"), dict) and entry["raw"].get("name") == "ann"


def test_files_are_0600_and_new_directories_0700_whatever_the_umask(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "a" / "b" / "q.jsonl"
    with Quarantine(path) as quarantine:
        _put(quarantine, "ann")
    assert (_mode(path), _mode(path.parent), _mode(path.parent.parent)) == (0o600, 0o700, 0o700)
    loose = tmp_path / "loose.jsonl"
    loose.write_text("", encoding="utf-8")
    loose.chmod(0o644)
    with Quarantine(loose) as quarantine:
        _put(quarantine, "bob")
    assert _mode(loose) == 0o600  # an existing file is tightened before anything is written to it
    home = tmp_path / "home"
    (home / "quarantine").mkdir(parents=True, mode=0o755)
    assert _mode(private_directory(home / "quarantine")) == 0o700  # c360's own directory is tightened too


def test_purge_drops_matching_entries_and_keeps_writers_writing(tmp_path: Path, open_umask: None) -> None:
    folder = private_directory(tmp_path / "quarantine")
    with Quarantine(folder / "load-1.jsonl") as first, Quarantine(folder / "events.jsonl") as second:
        for who in ("ann", "bob", "ann", "cy"):
            _put(first, who)
        _put(second, "ann")
        (folder / "notes.txt").write_text("ann", encoding="utf-8")  # not a quarantine file: left alone
        assert purge(folder, _is_ann) == 3
        assert _names(folder / "load-1.jsonl") == ["bob", "cy"]
        assert not (folder / "events.jsonl").exists()  # nothing left: no empty file
        assert _mode(folder / "load-1.jsonl") == 0o600
        _put(first, "dee")  # the open writer follows the rewritten file
        _put(second, "eve")
    assert _names(folder / "load-1.jsonl") == ["bob", "cy", "dee"]
    assert _names(folder / "events.jsonl") == ["eve"]
    assert sorted(p.name for p in folder.iterdir()) == ["events.jsonl", "load-1.jsonl", "notes.txt"]
    assert purge(tmp_path / "missing", _is_ann) == 0


def test_concurrent_writers_lose_nothing_while_purges_run(tmp_path: Path) -> None:
    folder = private_directory(tmp_path / "quarantine")
    writers, each = 4, 300
    done = threading.Event()
    purged: list[int] = []

    def write(n: int) -> None:
        with Quarantine(folder / "load.jsonl") as quarantine:  # one open file per writer, like processes
            for i in range(each):
                _put(quarantine, "ann" if i % 2 else f"w{n}-{i}", i)

    def keep_purging() -> None:
        while not done.is_set():
            purged.append(purge(folder, _is_ann))

    purger = threading.Thread(target=keep_purging)
    purger.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    purger.join()
    purged.append(purge(folder, _is_ann))
    names = _names(folder / "load.jsonl")
    assert "ann" not in names
    assert sorted(names) == sorted(f"w{n}-{i}" for n in range(writers) for i in range(0, each, 2))
    assert sum(purged) == writers * each // 2


def test_purge_removes_what_a_killed_purge_left_behind(tmp_path: Path) -> None:
    """A purge killed mid-rewrite (kill -9 of `c360 subject erase`) leaves its private temporary
    copy, holding other people's entries. Nothing renamed it, so no later erasure reached it: the
    next purge deletes such copies (the file's own, under its lock, and those of vanished files)."""
    folder = private_directory(tmp_path / "quarantine")
    with Quarantine(folder / "load-1.jsonl") as quarantine:
        for who in ("ann", "bob"):
            _put(quarantine, who)
    line = (folder / "load-1.jsonl").read_bytes().splitlines(keepends=True)[0]  # ann's entry
    (folder / ".load-1.jsonl.4242.purge").write_bytes(line)  # the killed rewrite of load-1
    (folder / ".load-0.jsonl.4343.purge").write_bytes(line)  # ... of a file since emptied and removed
    assert purge(folder, _is_ann) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["load-1.jsonl"]
    assert _names(folder / "load-1.jsonl") == ["bob"]


def test_counts_leave_out_a_file_a_purge_removed_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "load-a.jsonl").write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    (tmp_path / "events.jsonl").write_text('{"e": 1}\n', encoding="utf-8")
    listed = list(tmp_path.glob("*.jsonl"))
    real_open = Path.open

    def purged_while_read(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "events.jsonl":  # listed and stamped, then removed before its read
            self.unlink()
        return real_open(self, *args, **kwargs)

    ghost = tmp_path / "load-gone.jsonl"  # listed, then removed before its stat
    monkeypatch.setattr(Path, "glob", lambda self, pattern: iter([*listed, ghost]))
    monkeypatch.setattr(Path, "open", purged_while_read)
    assert counts(tmp_path) == [("load-a.jsonl", 2)]
