"""The house's layers, checked on the source with `ast` (nothing is imported, nothing installed).

Apps sit in a declared order (docs/architecture.md draws it); an app may import apps below it,
never above. Apps on one level are peers and do not import each other either. Alongside:
no import inside a function between two apps (it hides a dependency, usually an upward one),
no Django under madang/solvers/, no model writes in views, API modules or forms (writes go
through services), and no production module importing the test cast in madang/testing.py.

What cannot be fixed yet is listed in the ALLOWED_* tables below, each with the reason. The
tables should only shrink. `python tests/test_architecture.py` prints every finding and the totals.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "madang"

LAYERS: list[tuple[str, ...]] = [
    ("solvers",),
    ("core",),
    ("people",),
    ("identity",),  # single sign-on, verified citizens, second factors: above people, below every domain
    ("jobs",),  # background work: the ledger queues its cosigning, every domain its long work
    ("ledger",),
    ("privacy",),  # access records and retention: every app that shows personal data records through it
    ("inbox",),
    ("calls",),
    ("review",),
    ("followup",),
    ("labs", "citizens", "insight", "events", "suggestions"),  # peers: none imports another
    ("priority",),  # first to file across agencies: reads suggestions and the ledger
    ("documents",),  # letters and reports read every domain; no domain imports them
    ("site",),
    ("api",),  # madang/api.py and madang/urls.py: they put every app's routes together
]
RANK = {app: level for level, apps in enumerate(LAYERS) for app in apps}
TOP_MODULES = {"api": "api", "urls": "api"}  # madang/<module>.py that belong to a layer
TEST_SUPPORT = "madang.testing"

WRITE_METHODS = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERY_WRITE_METHODS = {"create", "update"}  # also dict.update and friends: only counted on a manager or queryset
QUERYSET_HINTS = {
    "objects",
    "filter",
    "exclude",
    "all",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "order_by",
    "using",
}
WRITE_FILES = {"views.py", "api.py", "forms.py"}

# --- what is allowed for now, each with its reason ---------------------------------------------------------------
# Imports: (file relative to the repository, imported module), for both the upward and the function-local rule.
ALLOWED_IMPORTS: dict[tuple[str, str], str] = {}
# Model writes outside services: (file, enclosing function, method).
ALLOWED_WRITES: dict[tuple[str, str, str], str] = {}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    app: str  # the importing module's app
    target: str  # the imported module (dotted)
    target_app: str | None
    local: bool  # inside a function

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.path.relative_to(ROOT)), self.target)


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        if ".".join(("madang", *path.relative_to(PACKAGE).with_suffix("").parts)) == TEST_SUPPORT:
            continue
        yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of_module(dotted: str) -> str | None:
    parts = dotted.split(".")
    if parts[0] != "madang" or len(parts) < 2:
        return None
    if parts[1] in RANK:
        return parts[1]
    return TOP_MODULES.get(parts[1])


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _enclosing_function(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return getattr(node, "name", "<lambda>")
    return None


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    # `from madang import calls` names a package; `from madang.calls import services` a module.
    names = [
        f"{base}.{alias.name}" if base in ("madang", *(f"madang.{a}" for a in RANK)) else base for alias in node.names
    ]
    return list(dict.fromkeys(names))


def imports() -> list[Import]:
    found = []
    for path in source_files():
        module = module_name(path)
        app = app_of_module(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            local = _enclosing_function(node, parents) is not None
            for target in _targets(node, module, path.name == "__init__.py"):
                found.append(Import(path, node.lineno, app or module, target, app_of_module(target), local))
    return found


def upward(found: list[Import]) -> list[Import]:
    return [
        i
        for i in found
        if i.app in RANK and i.target_app in RANK and i.target_app != i.app and RANK[i.target_app] >= RANK[i.app]
    ]


def local_cross_app(found: list[Import]) -> list[Import]:
    return [i for i in found if i.local and i.app in RANK and i.target_app in RANK and i.target_app != i.app]


def app_cycles(found: list[Import]) -> set[tuple[str, str]]:
    edges = {(i.app, i.target_app) for i in found if i.app in RANK and i.target_app in RANK and i.app != i.target_app}
    return {tuple(sorted(edge)) for edge in edges if (edge[1], edge[0]) in edges}  # type: ignore[misc]


def django_in_solvers(found: list[Import]) -> list[Import]:
    return [i for i in found if i.app == "solvers" and i.target.split(".")[0] == "django"]


def imports_of_the_test_cast(found: list[Import]) -> list[Import]:
    return [i for i in found if i.target == TEST_SUPPORT or i.target.startswith(TEST_SUPPORT + ".")]


@dataclass(frozen=True)
class Write:
    path: Path
    line: int
    function: str
    method: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (str(self.path.relative_to(ROOT)), self.function, self.method)


def _receiver_names(node: ast.expr) -> set[str]:
    names = set()
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            node = node.value
        else:
            return names


def model_writes() -> list[Write]:
    found = []
    for path in source_files():
        if path.name not in WRITE_FILES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        parents = _parents(tree)
        decorators = {id(d) for node in ast.walk(tree) for d in getattr(node, "decorator_list", [])}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)) or id(node) in decorators:
                continue
            method = node.func.attr
            if method in QUERY_WRITE_METHODS and not (_receiver_names(node.func.value) & QUERYSET_HINTS):
                continue
            if method in WRITE_METHODS or method in QUERY_WRITE_METHODS:
                found.append(Write(path, node.lineno, _enclosing_function(node, parents) or "<module>", method))
    return found


def _report(title: str, lines: list[str]) -> str:
    return f"{title} ({len(lines)}):\n  " + "\n  ".join(lines)


# --- the tests ------------------------------------------------------------------------------------------------------


def test_it_finds_the_apps_it_orders():
    on_disk = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name != "locale"}
    assert on_disk - {"api"} == set(RANK) - {"api"}, "an app is missing from LAYERS (or LAYERS names one gone)"


def test_it_finds_no_import_from_a_lower_app_to_a_higher_one():
    bad = [i for i in upward(imports()) if i.key not in ALLOWED_IMPORTS]
    assert not bad, _report(
        "upward or sideways imports (rule: an app imports only apps below it in docs/architecture.md's order)",
        [f"{i.where}: {i.app} imports {i.target} ({i.target_app} is not below {i.app})" for i in bad],
    )


def test_it_finds_no_import_inside_a_function_between_apps():
    bad = [i for i in local_cross_app(imports()) if i.key not in ALLOWED_IMPORTS]
    assert not bad, _report(
        "imports inside functions between apps (rule: import at module level, from below)",
        [f"{i.where}: {i.app} imports {i.target} inside a function" for i in bad],
    )


def test_it_finds_no_pair_of_apps_importing_each_other():
    allowed = {
        tuple(sorted((app_of_module(module_name(ROOT / f)) or "", app_of_module(t) or ""))) for f, t in ALLOWED_IMPORTS
    }
    bad = sorted(app_cycles(imports()) - allowed)
    assert not bad, _report(
        "apps that import each other (rule: one direction between two apps)", [f"{a} <-> {b}" for a, b in bad]
    )


def test_it_finds_no_django_under_the_solvers():
    bad = django_in_solvers(imports())
    assert not bad, _report(
        "Django under madang/solvers/ (rule: solvers are plain Python)", [f"{i.where}: imports {i.target}" for i in bad]
    )


def test_it_runs_every_solver_without_django_loaded():
    """The same rule at run time, which also catches Django pulled in through a third party."""
    code = (
        "import pkgutil, sys, importlib, madang.solvers as s\n"
        "for m in pkgutil.walk_packages(s.__path__, 'madang.solvers.'):\n"
        "    if '.tests' not in m.name and not m.name.rsplit('.', 1)[-1].startswith('test_'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'django' or n.startswith('django.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert out.stdout.strip() == "[]", out.stdout


def test_it_finds_no_production_module_importing_the_test_cast():
    bad = imports_of_the_test_cast(imports())
    assert not bad, _report(
        "imports of madang/testing.py outside tests (rule: the demo and the site use no test helpers)",
        [f"{i.where}: imports {i.target}" for i in bad],
    )


def test_it_finds_no_model_write_in_views_api_or_forms():
    bad = [w for w in model_writes() if w.key not in ALLOWED_WRITES]
    assert not bad, _report(
        "model writes in views, API modules or forms (rule: every write goes through a service)",
        [f"{w.where}: .{w.method}( in {w.function}" for w in bad],
    )


def test_it_keeps_the_allow_lists_honest():
    found = imports()
    stale: list[object] = [
        k for k in ALLOWED_IMPORTS if k not in {i.key for i in (*upward(found), *local_cross_app(found))}
    ]
    stale += [k for k in ALLOWED_WRITES if k not in {w.key for w in model_writes()}]
    assert not stale, f"allow-list entries that no longer match anything (remove them): {stale}"


IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<codes>\[[a-z0-9_, -]+\])?(?P<rest>.*)$")
REASON = re.compile(r"^\s*#\s*\S.{3,}")


def bare_type_ignores() -> list[str]:
    """`# type: ignore` comments (tokenised, so strings that mention one don't count) that lack an
    error code or a reason: the rule is `# type: ignore[code]  # why`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        with path.open("rb") as f:
            for token in tokenize.tokenize(f.readline):
                if token.type != tokenize.COMMENT or not (m := IGNORE.search(token.string)):
                    continue
                if not m["codes"] or not REASON.match(m["rest"]):
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {token.string}")
    return found


def test_it_finds_every_type_ignore_with_a_code_and_a_reason():
    bad = bare_type_ignores()
    assert not bad, _report("type: ignore without [code] and a reason (rule: `# type: ignore[code]  # why`)", bad)


if __name__ == "__main__":
    everything = imports()
    sections = [
        ("upward or sideways imports", [f"{i.where}: {i.app} -> {i.target}" for i in upward(everything)]),
        (
            "function-local cross-app imports",
            [f"{i.where}: {i.app} -> {i.target}" for i in local_cross_app(everything)],
        ),
        ("app pairs importing each other", [f"{a} <-> {b}" for a, b in sorted(app_cycles(everything))]),
        ("django under solvers", [f"{i.where}: {i.target}" for i in django_in_solvers(everything)]),
        ("imports of the test cast", [f"{i.where}: {i.target}" for i in imports_of_the_test_cast(everything)]),
        ("model writes in views/api/forms", [f"{w.where}: .{w.method}( in {w.function}" for w in model_writes()]),
    ]
    for title, lines in sections:
        print(_report(title, lines))  # noqa: T201 (a report run by hand)
    print("totals: " + ", ".join(f"{title}: {len(lines)}" for title, lines in sections))  # noqa: T201
