"""The stores API's faults: latency, 500s, 429s and truncated bodies, each at a rate, off by default."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

TRUNCATE_MODES = ("mixed", "short", "cut")


@dataclass(frozen=True)
class Faults:
    """Fault injection settings for the stores API; all off by default.

    Rates are probabilities per `/prod` request (their sum must not exceed 1). `truncate_mode` says how a
    body is truncated: `short` sends a Content-Length larger than the bytes sent and closes the
    connection (clients see an incomplete read), `cut` sends a well-formed HTTP 200 whose JSON is cut
    short (clients see a JSON parse error), `mixed` picks one of the two at random.
    """

    latency_ms: float = 0.0
    error_rate: float = 0.0
    throttle_rate: float = 0.0
    truncate_rate: float = 0.0
    retry_after: int = 1
    truncate_mode: str = "mixed"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be >= 0, got {self.latency_ms}")
        for name in ("error_rate", "throttle_rate", "truncate_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.error_rate + self.throttle_rate + self.truncate_rate > 1.0 + 1e-9:
            raise ValueError("error_rate + throttle_rate + truncate_rate must not exceed 1")
        if self.retry_after < 0:
            raise ValueError(f"retry_after must be >= 0, got {self.retry_after}")
        if self.truncate_mode not in TRUNCATE_MODES:
            raise ValueError(f"truncate_mode must be one of {TRUNCATE_MODES}, got {self.truncate_mode!r}")

    @property
    def active(self) -> bool:
        """True when any fault is switched on."""
        return bool(self.latency_ms or self.error_rate or self.throttle_rate or self.truncate_rate)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (the inverse of `Faults.from_dict`)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Faults:
        """Build from a dict, ignoring unknown keys (state files may come from other versions)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})

    def describe(self) -> str:
        """A one-line human description, e.g. `latency 50 ms, 500s 5%`."""
        if not self.active:
            return "none"
        parts = []
        if self.latency_ms:
            parts.append(f"latency {self.latency_ms:g} ms")
        if self.error_rate:
            parts.append(f"500s {self.error_rate:.0%}")
        if self.throttle_rate:
            parts.append(f"429s {self.throttle_rate:.0%} (Retry-After {self.retry_after}s)")
        if self.truncate_rate:
            parts.append(f"truncated {self.truncate_rate:.0%} ({self.truncate_mode})")
        return ", ".join(parts) + f", seed {self.seed}"
