"""The engine's layers: the training core never imports engine.landscape, the engine never imports
server (read from the source, so a lazy import inside a function counts too)."""
import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"


def imported(path: Path) -> set[str]:
    """Absolute module names `path` imports (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(ENGINE.parent).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
    return out


def test_the_resolver_sees_relative_imports():
    names = imported(ENGINE / "landscape" / "exact.py")
    assert "engine.datasets" in names and "engine.landscape.walkers" in names


def test_the_core_never_imports_the_landscape():
    # the lessons and sweeps are built on both the core and the landscape tools
    core = [p for p in ENGINE.rglob("*.py") if not {"landscape", "lessons", "sweep"} & set(p.relative_to(ENGINE).parts)]
    assert len(core) >= 10
    bad = {str(p.relative_to(ENGINE)): sorted(n for n in imported(p) if n.startswith("engine.landscape"))
           for p in core}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_engine_never_imports_the_server():
    bad = {str(p.relative_to(ENGINE)): sorted(n for n in imported(p) if n.split(".")[0] == "server")
           for p in ENGINE.rglob("*.py")}
    assert {k: v for k, v in bad.items() if v} == {}
