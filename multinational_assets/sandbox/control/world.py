"""The world in a sandbox: whether the one there was made with this seed, scale and dialect by the
current generator, and generating it (into a scratch directory swapped in once complete) when not."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

from multinational_assets.sandbox.control.messages import Echo, SandboxError, dialect_words, quiet
from multinational_assets.sandbox.control.paths import sandbox_paths
from multinational_assets.sandbox.control.state import write_json

# The files `up` needs in a world; the generator writes more (truth/), which the servers do not serve.
REQUIRED_WORLD_FILES = (
    "manifest.json",
    "legacy/legacy_users.csv",
    "legacy/orders_table.csv",
    "legacy/legacy_store_details.csv",
    "s3/products.csv",
    "s3/card_details.pdf",
    "s3/date_details.json",
    "api/stores.json",
)


def same_scale(a: Any, b: Any) -> bool:
    """Whether two recorded scales are the same number (1, 1.0 and "1" are)."""
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def read_manifest(world: Path) -> dict[str, Any] | None:
    """The world's manifest.json, or None when there is no readable one."""
    try:
        return json.loads((world / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None


# The sandbox package's own server and control code (top-level names in it); everything else in it,
# subpackages included, is the generator's.
_NOT_GENERATOR = {"__init__.py", "cli.py", "control", "postgres.py", "s3.py", "stores_api"}
_SANDBOX_PACKAGE = Path(__file__).resolve().parent.parent
GENERATOR_STAMP = ".generator"


def generator_fingerprint() -> str:
    """A hash of the generator's source files: a world made by other code is not reused."""
    digest = hashlib.sha256()
    for path in sorted(_SANDBOX_PACKAGE.rglob("*.py")):
        relative = path.relative_to(_SANDBOX_PACKAGE)
        if relative.parts[0] not in _NOT_GENERATOR:
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def manifest_dialect(manifest: dict[str, Any]) -> int:
    """The dialect a manifest records; a manifest without one (dialect 0, or a hand-made world) is 0."""
    return manifest.get("dialect", 0)


def world_matches(world: Path, seed: int, scale: float, dialect: int = 0) -> bool:
    """True when `world` holds a complete world generated with `seed`, `scale` and `dialect` by the
    current generator (a world without a generator stamp, e.g. a hand-made one, is taken as it is)."""
    manifest = read_manifest(world)
    if manifest is None or manifest.get("seed") != seed or not same_scale(manifest.get("scale"), scale):
        return False
    if manifest_dialect(manifest) != dialect:
        return False
    if not all((world / name).is_file() for name in REQUIRED_WORLD_FILES):
        return False
    stamp = world / GENERATOR_STAMP
    return not stamp.exists() or stamp.read_text().strip() == generator_fingerprint()


def ensure_world(seed: int, scale: float, regenerate: bool = False, echo: Echo = quiet, dialect: int = 0) -> bool:
    """Generate the world into `<sandbox dir>/world` unless one with this seed, scale and dialect is there.

    Returns True when it generated. The generator writes into a scratch directory that replaces the
    old world only once complete, so an interrupted generation never leaves a half world behind.
    """
    paths = sandbox_paths()
    if not regenerate and world_matches(paths.world, seed, scale, dialect):
        return False
    manifest = read_manifest(paths.world) or {}
    if (not regenerate and manifest.get("seed") == seed and same_scale(manifest.get("scale"), scale)
            and manifest_dialect(manifest) == dialect):
        echo("the world generator changed since this world was made (or the world is incomplete)")
    try:
        from multinational_assets.sandbox.generate import generate_world
    except ImportError as exc:
        raise SandboxError(
            f"no world with seed {seed} and scale {scale:g} in {paths.world}, and the world generator "
            f"(multinational_assets.sandbox.generate) cannot be imported: {exc}"
        ) from None
    scratch = paths.root / "world.partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    echo(f"generating the world (seed {seed}, scale {scale:g}{dialect_words(dialect)}) into {paths.world} ...")
    started = time.monotonic()

    def progress(*args: Any, **kwargs: Any) -> None:
        text = " ".join(str(a) for a in args)
        if kwargs:
            text += " " + " ".join(f"{k}={v}" for k, v in kwargs.items())
        echo(f"  {text.strip()}")

    # Dialect 0 is generate_world's default: not passing it keeps stand-in generators (tests) working.
    options = {"dialect": dialect} if dialect else {}
    manifest = generate_world(seed, scale, scratch, progress=progress, **options)
    if not (scratch / "manifest.json").exists() and isinstance(manifest, dict):
        write_json(scratch / "manifest.json", manifest)
    (scratch / GENERATOR_STAMP).write_text(generator_fingerprint() + "\n")
    missing = [name for name in REQUIRED_WORLD_FILES if not (scratch / name).is_file()]
    if missing:
        raise SandboxError(f"the generator did not write {', '.join(missing)} (left in {scratch})")
    old = paths.root / "world.old"
    shutil.rmtree(old, ignore_errors=True)
    if paths.world.exists():
        paths.world.rename(old)
    scratch.rename(paths.world)
    shutil.rmtree(old, ignore_errors=True)
    echo(f"  world generated in {time.monotonic() - started:.1f} s")
    return True
