"""Every ```python block of README.md and docs/*.md runs here, so the docs cannot drift.

What a block is decides how it runs:

- **Test file**: a block with a top-level ``test_*`` function or ``Test*`` class is written as
  a test module into a fresh pytester project (``asyncio_mode = auto``, ``--strict-markers``,
  warnings as errors) and run; it must pass. ``<!-- expect: failed=1 -->`` before the block
  sets other expected outcomes (keywords of ``assert_outcomes``), and
  ``<!-- args: --dynamodb-backend=server -->`` adds pytest command-line arguments.
- **Project file**: ``<!-- file: conftest.py -->`` (any name, any language) before a block
  writes it into the project of the next test-file block on the same page.
- **Script**: a block that calls ``asyncio.run(`` runs as ``python block.py`` in a
  subprocess, the way a reader would run it.
- **Step**: any other python block. A page's steps run in order as one async program, in one
  namespace, as if inside ``async with mock_dynamodb() as db:``: ``db`` is that client,
  top-level ``await`` works, and a ``@table`` model gets its table as soon as it is defined
  (a later model with the same table name replaces it).
- ``<!-- no-run: reason -->`` before a block: only compiled. Keep these rare.

A failing block is reported by ``path:line`` of the statement (steps) or block.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import shlex
import subprocess
import sys
import textwrap
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w+-]*)\s*$")
COMMENT = re.compile(r"^\s*<!--(?P<body>.*?)-->\s*$")
DIRECTIVE = re.compile(r"^\s*(?P<name>no-run|file|expect|args):\s*(?P<value>.*?)\s*$")

INI = """\
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
addopts = --strict-markers --strict-config -p no:cacheprovider
filterwarnings = error
"""


@dataclass
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # line number of the block's first code line (1-based)
    lang: str
    code: str
    directives: dict[str, str] = field(default_factory=dict)
    attached: list[Block] = field(default_factory=list)  # project files, for test files

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def kind(self) -> str:
        if "no-run" in self.directives:
            return "no-run"
        if "file" in self.directives:
            return "file"
        if self.lang != "python":
            return "other"
        try:
            tree = ast.parse(self.code)
        except SyntaxError:
            return "step"  # reported, with its line, when the page's steps run
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                return "test-file"
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                return "test-file"
        if "asyncio.run(" in self.code:
            return "script"
        return "step"


@dataclass
class Page:
    """A page's blocks, and the problems with its directives."""

    blocks: list[Block]
    problems: list[str]


def parse(page: Path) -> Page:
    """The fenced blocks of ``page``, with the directives written just before them."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    problems: list[str] = []
    pending: dict[str, str] = {}
    pending_line = 0
    where = page.relative_to(ROOT)
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        comment = COMMENT.match(lines[i])
        if comment:
            directive = DIRECTIVE.match(comment.group("body"))
            next_code = _next_non_blank(lines, i + 1)
            before_fence = next_code is not None and (
                FENCE.match(lines[next_code]) or COMMENT.match(lines[next_code])
            )
            if directive:
                if not before_fence:
                    problems.append(f"{where}:{i + 1}: directive is not followed by a code block")
                pending[directive.group("name")] = directive.group("value")
                pending_line = i + 1
            elif before_fence and ":" in comment.group("body"):
                problems.append(
                    f"{where}:{i + 1}: unknown directive {comment.group('body').strip()!r}; "
                    "use no-run:, file:, expect: or args:"
                )
            i += 1
            continue
        if fence:
            indent, lang = fence.group("indent"), fence.group("lang")
            start = i + 1
            end = start
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            if end == len(lines):
                problems.append(f"{where}:{i + 1}: code block is never closed")
            body = [
                line[len(indent) :] if line.startswith(indent) else line
                for line in lines[start:end]
            ]
            blocks.append(Block(page, start + 1, lang, "\n".join(body) + "\n", pending))
            pending = {}
            i = end + 1
            continue
        if pending and lines[i].strip():
            problems.append(f"{where}:{pending_line}: directive is not followed by a code block")
            pending = {}
        i += 1
    # Project files go with the next test file of the page.
    waiting: list[Block] = []
    for block in blocks:
        if block.kind == "file":
            waiting.append(block)
        elif block.kind == "test-file":
            block.attached, waiting = waiting, []
    problems.extend(
        f"{b.where}: file block {b.directives['file']!r} has no test-file block after it"
        for b in waiting
    )
    return Page(blocks, problems)


def _next_non_blank(lines: list[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


PARSED = {page: parse(page) for page in PAGES}


def _blocks(kind: str) -> list[Any]:
    return [
        pytest.param(block, id=block.where)
        for parsed in PARSED.values()
        for block in parsed.blocks
        if block.kind == kind
    ]


def _pages_with_steps() -> list[Any]:
    params = []
    for page, parsed in PARSED.items():
        steps = [b for b in parsed.blocks if b.kind == "step"]
        if steps:
            params.append(pytest.param(steps, id=str(page.relative_to(ROOT))))
    return params


def test_the_docs_exist_and_their_directives_attach_to_blocks() -> None:
    assert (ROOT / "README.md").exists()
    assert len(PAGES) > 1, "docs/*.md not found"
    problems = [problem for parsed in PARSED.values() for problem in parsed.problems]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("steps", _pages_with_steps())
def test_page_steps_run_in_order(steps: list[Block]) -> None:
    asyncio.run(_run_steps(steps))


async def _run_steps(steps: list[Block]) -> None:
    # A real module, so that pydantic resolves the annotations of models defined in it.
    module = types.ModuleType("docs_page_" + re.sub(r"\W", "_", steps[0].page.stem))
    sys.modules[module.__name__] = module
    namespace: dict[str, Any] = module.__dict__
    try:
        await _run_in(namespace, steps)
    finally:
        del sys.modules[module.__name__]


async def _run_in(namespace: dict[str, Any], steps: list[Block]) -> None:
    from aiodynamodb.testing import mock_dynamodb

    async with mock_dynamodb() as db:
        namespace["db"] = db
        tables: dict[str, type] = {}
        for block in steps:
            try:
                tree = ast.parse(block.code, filename=str(block.page))
            except SyntaxError as error:
                line = block.line + (error.lineno or 1) - 1
                pytest.fail(f"{block.page.relative_to(ROOT)}:{line}: {error.msg}", pytrace=False)
            _rewrite_asserts(tree, block.code)
            ast.increment_lineno(tree, block.line - 1)
            for statement in tree.body:
                code = compile(
                    ast.Module(body=[statement], type_ignores=[]),
                    str(block.page),
                    "exec",
                    flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                )
                failure = None
                try:
                    result = eval(code, namespace)
                    if inspect.iscoroutine(result):
                        await result
                    await _create_tables(db, namespace, tables)
                except Exception:
                    where = f"{block.page.relative_to(ROOT)}:{statement.lineno}"
                    failure = (
                        f"{where}: this statement of the block at {block.where} failed\n\n"
                        + _doc_traceback()
                    )
                if failure is not None:
                    pytest.fail(failure, pytrace=False)


async def _create_tables(db: Any, namespace: dict[str, Any], tables: dict[str, type]) -> None:
    """Give every table model in ``namespace`` its table (a redefinition replaces it)."""
    from aiodynamodb.model import is_table_model

    for value in list(namespace.values()):
        if is_table_model(value):
            name = db.table_name(value)
            if tables.get(name) is value:
                continue
            if name in tables:
                await db.delete_table(tables[name])
            await db.create_table(value)
            tables[name] = value


def _rewrite_asserts(tree: ast.Module, source: str) -> None:
    """Give the steps' ``assert`` statements pytest's explanations (``assert 1 == 2``)."""
    try:
        from _pytest.assertion.rewrite import rewrite_asserts
    except ImportError:  # pragma: no cover - a pytest without it: plain AssertionErrors
        return
    rewrite_asserts(tree, source.encode())


def _doc_traceback() -> str:
    """The traceback from the doc's own frame on (the harness's frames are noise)."""
    kind, error, tb = sys.exc_info()
    while tb is not None and not tb.tb_frame.f_code.co_filename.endswith(".md"):
        tb = tb.tb_next
    return "".join(traceback.format_exception(kind, error, tb))


@pytest.mark.parametrize("block", _blocks("test-file"))
def test_test_file_block_passes(block: Block, pytester: pytest.Pytester) -> None:
    pytester.makefile(".ini", pytest=INI)
    for attached in block.attached:
        path = pytester.path / attached.directives["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(attached.code, encoding="utf-8")
    stem = re.sub(r"\W", "_", block.page.stem)
    (pytester.path / f"test_{stem}_{block.line}.py").write_text(block.code, encoding="utf-8")
    result = pytester.runpytest(*shlex.split(block.directives.get("args", "")))
    output = "\n".join(result.outlines + result.errlines)
    expected = block.directives.get("expect")
    if expected:
        outcomes = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", expected)}
        try:
            result.assert_outcomes(**outcomes)
        except AssertionError:
            pytest.fail(f"{block.where}: expected {expected}\n\n{output}", pytrace=False)
        return
    found = result.parseoutcomes() if result.outlines else {}
    bad = {k: v for k, v in found.items() if k not in ("passed", "skipped", "warnings")}
    if result.ret != 0 or bad or not found.get("passed"):
        pytest.fail(
            f"{block.where}: the tests in this block did not pass\n\n{output}", pytrace=False
        )


@pytest.mark.parametrize("block", _blocks("script"))
def test_script_block_runs(block: Block, tmp_path: Path) -> None:
    script = tmp_path / "block.py"
    script.write_text(block.code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        pytest.fail(
            f"{block.where}: `python block.py` exited with {done.returncode}\n\n"
            f"{done.stdout}\n{done.stderr}",
            pytrace=False,
        )


@pytest.mark.parametrize("block", _blocks("no-run"))
def test_no_run_block_compiles(block: Block) -> None:
    assert block.directives["no-run"], f"{block.where}: a no-run block must say why"
    if block.lang == "python":
        source = textwrap.dedent(block.code)
        compile(source, block.where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
