"""The layers lean one way: the ground floor (language, privacy, settings, database) imports
nothing of ours, the staff's accounts and audit log only the ground floor, the catalogue nothing
of the office, the bot, the actions or the API, the API nothing of the actions; and no module
imports itself back through others (an import circle)."""

from __future__ import annotations

import ast
from pathlib import Path

from settings import REPO_ROOT

PACKAGES = (
    *("language", "privacy", "settings", "database"),
    *("staff", "service_catalog", "office", "bot", "actions", "api", "deploy"),
)
GROUND = {"language", "privacy", "settings", "database"}
# package -> the project's packages it may import
ALLOWED = {
    "language": set(),
    "privacy": set(),
    "settings": set(),
    "database": set(),
    "staff": GROUND,
    "service_catalog": GROUND | {"staff"},
    "office": GROUND | {"staff", "service_catalog"},
    "bot": GROUND | {"service_catalog"},
    "actions": GROUND | {"staff", "service_catalog", "office", "bot"},
    "api": GROUND | {"staff", "service_catalog", "office"},
    "deploy": GROUND | {"staff", "service_catalog", "office", "bot"},
}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        single = REPO_ROOT / f"{package}.py"
        for path in [single] if single.exists() else (REPO_ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.split(".")[0] in PACKAGES}


def test_no_import_points_up():
    wrong = []
    for name, path in modules().items():
        package = name.split(".")[0]
        for imported in imports(path, top_level_only=False):
            target = imported.split(".")[0]
            if target != package and target not in ALLOWED[package]:
                wrong.append(f"{name} -> {imported}")
    assert wrong == []


def test_no_import_circle():
    known = modules()
    graph = {
        name: {i for i in imports(path, top_level_only=True) if i in known and i != name}
        for name, path in known.items()
    }
    circles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []
