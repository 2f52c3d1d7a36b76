"""The world in a sandbox: generated lazily and swapped in whole, regenerated when the generator changed,
and another dialect is another world."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from multinational_assets.sandbox import control
from multinational_assets_tests.sandbox.control.tiny_sandbox import make_tiny_world


@pytest.mark.sandbox
def test_up_generates_lazily_and_swaps_the_world(tiny, monkeypatch):
    import types

    calls = []

    def fake_generate_world(seed, scale, out_dir, progress=None):
        calls.append((seed, scale, Path(out_dir)))
        progress("fake generator ran")
        make_tiny_world(out_dir, seed=seed, scale=scale)
        return {"seed": seed, "scale": scale, "counts": {}}

    monkeypatch.setitem(sys.modules, "multinational_assets.sandbox.generate",
                        types.SimpleNamespace(generate_world=fake_generate_world))
    messages: list[str] = []
    assert control.ensure_world(0, 1, echo=messages.append) is False  # the tiny world matches
    assert calls == []
    state = control.up(seed=5, scale=0.5, echo=messages.append).state
    assert calls and calls[0][:2] == (5, 0.5) and calls[0][2].name == "world.partial"
    assert json.loads((tiny / "world" / "manifest.json").read_text())["seed"] == 5
    assert not (tiny / "world.partial").exists()
    assert any("fake generator ran" in m for m in messages)
    assert state["seed"] == 5 and state["scale"] == 0.5
    with pytest.raises(control.SandboxError, match="already up with seed 5"):
        control.up(seed=0, scale=1)


@pytest.mark.sandbox
def test_a_world_from_another_generator_version_is_regenerated(tiny, monkeypatch):
    import types

    calls = []

    def fake_generate_world(seed, scale, out_dir, progress=None):
        calls.append(seed)
        return make_tiny_world(out_dir, seed=seed, scale=scale) and {"seed": seed, "scale": scale}

    monkeypatch.setitem(sys.modules, "multinational_assets.sandbox.generate",
                        types.SimpleNamespace(generate_world=fake_generate_world))
    world = tiny / "world"
    (world / control.GENERATOR_STAMP).write_text(control.generator_fingerprint())
    assert control.ensure_world(0, 1) is False and calls == []
    (world / control.GENERATOR_STAMP).write_text("made-by-older-code")
    messages: list[str] = []
    assert control.ensure_world(0, 1, echo=messages.append) is True and calls == [0]
    assert (world / control.GENERATOR_STAMP).read_text().strip() == control.generator_fingerprint()
    assert any("generator changed" in m for m in messages)


def test_a_world_of_another_dialect_is_another_world(private_sandbox_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    calls: list[dict] = []

    def fake_generate_world(seed, scale, out_dir, progress=None, **options):
        calls.append(options)
        make_tiny_world(out_dir, seed=seed, scale=scale)
        manifest = json.loads((Path(out_dir) / "manifest.json").read_text())
        if options.get("dialect"):
            manifest["dialect"] = options["dialect"]
        (Path(out_dir) / "manifest.json").write_text(json.dumps(manifest))
        return manifest

    monkeypatch.setitem(sys.modules, "multinational_assets.sandbox.generate",
                        types.SimpleNamespace(generate_world=fake_generate_world))
    world = private_sandbox_dir / "world"
    assert control.ensure_world(0, 1) is True and calls == [{}]  # dialect 0: not even passed
    assert control.world_matches(world, 0, 1) and not control.world_matches(world, 0, 1, dialect=2)
    assert control.ensure_world(0, 1, dialect=2) is True and calls[-1] == {"dialect": 2}
    assert control.world_matches(world, 0, 1, dialect=2) and not control.world_matches(world, 0, 1)
    assert control.ensure_world(0, 1, dialect=2) is False and len(calls) == 2
    report = control.status()
    assert report["dialect"] == 2
    assert "world: seed 0, scale 1, dialect 2" in control.format_status(report)
