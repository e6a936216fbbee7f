"""The one lookup of a wire name in a registry, and the one wording of its refusal."""
from __future__ import annotations

from typing import Iterable, Mapping, TypeVar

T = TypeVar("T")


def unknown(field: str, name, allowed: Iterable) -> ValueError:
    """ValueError("field: unknown 'name'; allowed: a, b, c")."""
    return ValueError(f"{field}: unknown {name!r}; allowed: {', '.join(map(str, allowed))}")


def lookup(field: str, name, registry: Mapping[str, T]) -> T:
    """registry[name], or the ValueError that names the field and what is allowed."""
    try:
        return registry[name]
    except (KeyError, TypeError):
        raise unknown(field, name, registry) from None


def check(field: str, name, registry) -> None:
    """Raises unknown(...) unless name is in registry (a mapping or a list)."""
    if not isinstance(name, str) or name not in registry:
        raise unknown(field, name, registry)
