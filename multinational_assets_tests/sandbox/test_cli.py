"""`multinational sandbox ...` and `multinational demo` pass their options on to `control` (no servers)."""

from __future__ import annotations

import pytest


def test_cli_up_and_demo_pass_the_dialect(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from multinational_assets.cli import commands
    from multinational_assets.sandbox import cli, control

    seen: list[dict] = []

    class Stop(Exception):
        pass

    def fake_up(**kwargs):
        seen.append(kwargs)
        if len(seen) > 1:
            raise Stop
        state = {"sandbox_dir": "x", "seed": kwargs["seed"], "scale": kwargs["scale"],
                 "dialect": kwargs["dialect"], "started_at": "now"}
        return control.UpResult(state, already_up=True, seconds=0.0)

    monkeypatch.setattr(control, "up", fake_up)
    runner = CliRunner()
    result = runner.invoke(cli.sandbox, ["up", "--dialect", "2", "--scale", "0.5"])
    assert result.exit_code == 0, result.output
    assert seen[0]["dialect"] == 2 and "dialect 2" in result.output
    assert runner.invoke(cli.sandbox, ["up", "--dialect", "3"]).exit_code == 2
    result = runner.invoke(commands.demo, ["--dialect", "1", "--scale", "0.5"])
    assert isinstance(result.exception, Stop)
    assert (seen[1]["dialect"], seen[1]["scale"]) == (1, 0.5)
