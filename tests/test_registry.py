"""The data registry: pinned hashes, the mirror, hash mismatch, missing files offline."""
import hashlib
import re

import pytest

from helpers import registry


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Empty data folder, no mirror, no network."""
    monkeypatch.setenv("STUDY_DATA_DIR", str(tmp_path / "external"))
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    monkeypatch.setattr(registry.fetching, "_NETWORK_FAILED", True)  # the state lives where fetch runs
    return tmp_path


def _make_mirror(root, e, content):
    p = root / e.relpath
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(content)
    return p


def test_registry_entries_are_pinned():
    assert len(registry.REGISTRY) >= 30
    for e in registry.REGISTRY.values():
        assert re.fullmatch(r"[0-9a-f]{64}", e.sha256), e.name
        assert re.fullmatch(r"[0-9a-f]{40}", e.repo.commit), e.name
        assert e.url == f"https://raw.githubusercontent.com/{e.repo.owner_repo}/{e.repo.commit}/{e.path}"
        assert e.license and e.citation


def test_missing_offline_names_the_file_and_the_fix(isolated):
    name = "terminal_bench/trial_token_usage"
    with pytest.raises(registry.DataUnavailable, match=r"trial_token_usage.*make data.*DATA_MIRROR"):
        registry.fetch(name)
    assert not registry.available(name)


def test_mirror_copy_is_verified(isolated, monkeypatch):
    e = registry.entry("tracelab/pricing")
    mirror = isolated / "mirror"
    content = b'{"hello": 1}\n'
    _make_mirror(mirror, e, content)
    fake = registry.DataFile(e.name, e.repo, e.path, hashlib.sha256(content).hexdigest())
    monkeypatch.setitem(registry.REGISTRY, e.name, fake)
    monkeypatch.setenv("DATA_MIRROR", str(mirror))
    p = registry.fetch(e.name)
    assert p.read_bytes() == content and registry.available(e.name)
    assert p == isolated / "external" / e.relpath


def test_a_verified_local_copy_is_read_without_importing_pooch(isolated, monkeypatch):
    """pooch (and requests, which it imports) only fetch: a notebook whose data is here never imports them."""
    import sys

    e = registry.entry("tracelab/pricing")
    content = b'{"local": 1}\n'
    local = _make_mirror(isolated / "external", e, content)
    monkeypatch.setitem(registry.REGISTRY, e.name,
                        registry.DataFile(e.name, e.repo, e.path, hashlib.sha256(content).hexdigest()))
    monkeypatch.setitem(sys.modules, "pooch", None)  # any import of pooch now raises ImportError
    assert registry.fetch(e.name) == local
    local.unlink()  # a missing copy does need pooch to fetch it
    _make_mirror(isolated / "mirror", e, content)
    monkeypatch.setenv("DATA_MIRROR", str(isolated / "mirror"))
    with pytest.raises(ImportError):
        registry.fetch(e.name)


def test_hash_mismatch_is_an_error_naming_the_file_and_leaves_nothing(isolated, monkeypatch):
    e = registry.entry("agent_eval/humaneval_results")
    mirror = isolated / "mirror"
    _make_mirror(mirror, e, b"strategy,model\ntampered,1\n")
    monkeypatch.setenv("DATA_MIRROR", str(mirror))
    with pytest.raises(registry.HashMismatch, match=r"agent_eval/humaneval_results.*SHA-256 mismatch|SHA-256 mismatch.*agent_eval/humaneval_results"):
        registry.fetch(e.name)
    folder = isolated / "external" / e.relpath
    assert not folder.exists()
    leftovers = list(folder.parent.glob("*")) if folder.parent.exists() else []
    assert leftovers == []


def test_mirror_without_the_file(isolated, monkeypatch):
    monkeypatch.setenv("DATA_MIRROR", str(isolated / "empty-mirror"))
    with pytest.raises(registry.DataUnavailable, match="has no file"):
        registry.fetch("tracelab/pricing")


def test_relative_mirror_is_read_against_the_repository_root(monkeypatch):
    from helpers import paths
    monkeypatch.setenv("DATA_MIRROR", "../shared/data/github")
    assert registry.mirror_root() == (paths.ROOT / "../shared/data/github").resolve()


def test_fetch_all_writes_manifest_and_counts_missing(isolated, capsys):
    manifest = isolated / "MANIFEST.json"
    missing = registry.fetch_all(manifest)
    assert missing == len(registry.REGISTRY)
    import json
    doc = json.loads(manifest.read_text())
    assert set(doc) == set(registry.REGISTRY) and all(v is None for v in doc.values())
    mtime = manifest.stat().st_mtime_ns
    registry.fetch_all(manifest)  # unchanged availability: not rewritten
    assert manifest.stat().st_mtime_ns == mtime
    assert "MISSING" in capsys.readouterr().out


def test_unknown_name():
    with pytest.raises(KeyError, match="no registered data file"):
        registry.entry("nope")


def test_make_data_fails_naming_a_mirror_folder_that_does_not_exist(isolated, monkeypatch, capsys):
    gone = isolated / "no-such-mirror"
    monkeypatch.setenv("DATA_MIRROR", str(gone))
    assert registry.main(["fetch", "--strict", "--manifest", str(isolated / "m.json")]) == 1
    assert f"DATA_MIRROR={gone} is not a folder" in capsys.readouterr().err


def test_make_data_fails_naming_the_missing_files_offline(isolated, capsys):
    assert registry.main(["fetch", "--strict", "--manifest", str(isolated / "m.json")]) == 1
    err = capsys.readouterr().err
    assert "missing logged files:" in err and "terminal_bench/trial_token_usage" in err
    # the lenient fetch that `make all` runs still completes and records what is missing
    assert registry.main(["fetch", "--manifest", str(isolated / "m.json")]) == 0
    assert (isolated / "m.json").exists()


# ---------------------------------------------------------------- issue 17 item 7: every fault in one run


def _fake_registry(monkeypatch, isolated, contents: dict[str, bytes], good: set[str]):
    """Registry of a few files whose mirror copies are ``contents``; hashes pinned only for ``good``."""
    mirror = isolated / "mirror"
    fake = {}
    for name, content in contents.items():
        e = registry.entry(name)
        if content is not None:
            _make_mirror(mirror, e, content)
        digest = hashlib.sha256(content or b"").hexdigest() if name in good else "0" * 64
        fake[name] = registry.DataFile(e.name, e.repo, e.path, digest)
    monkeypatch.setattr(registry.entries, "REGISTRY", fake)  # the table every lookup reads
    monkeypatch.setenv("DATA_MIRROR", str(mirror))
    return fake


def test_fetch_all_reports_every_mismatch_and_missing_file_in_one_run(isolated, monkeypatch, capsys):
    names = ["tracelab/pricing", "agent_eval/humaneval_results", "terminal_bench/trial_token_usage",
             "tracelab/round_trace_sanitized"]
    _fake_registry(monkeypatch, isolated, {names[0]: b"a\n", names[1]: b"b\n", names[2]: b"c\n", names[3]: None},
                   good={names[0]})
    manifest = isolated / "MANIFEST.json"
    with pytest.raises(registry.HashMismatch) as exc:
        registry.fetch_all(manifest)
    assert "2 file(s)" in str(exc.value) and names[1] in str(exc.value) and names[2] in str(exc.value)
    out = capsys.readouterr().out
    assert f"MISMATCH {names[1]}" in out and f"MISMATCH {names[2]}" in out and f"MISSING  {names[3]}" in out
    assert f"ok       {names[0]}" in out
    import json
    doc = json.loads(manifest.read_text())
    assert doc[names[0]] and doc[names[1]] is None and doc[names[3]] is None
    assert registry.main(["fetch"]) == 1  # the command exits non-zero


def test_fetched_files_are_0644_and_leftover_temporaries_are_removed(isolated, monkeypatch, capsys):
    import os

    name = "tracelab/pricing"
    (e,) = _fake_registry(monkeypatch, isolated, {name: b'{"x": 1}\n'}, good={name}).values()
    e.local.parent.mkdir(parents=True, exist_ok=True)
    leftover = e.local.parent / "tmpab12cd_9"  # what a killed pooch download leaves
    leftover.write_bytes(b"partial")
    keep = e.local.parent / "notes.txt"
    keep.write_text("mine")
    old = os.umask(0o022)
    try:
        assert registry.fetch_all() == 0
    finally:
        os.umask(old)
    assert not leftover.exists() and keep.exists()
    assert "temporary file of an interrupted fetch" in capsys.readouterr().out
    assert e.local.stat().st_mode & 0o777 == 0o644
    e.local.chmod(0o600)  # a copy fetched by an older version
    registry.fetch(name)
    assert e.local.stat().st_mode & 0o777 == 0o644
