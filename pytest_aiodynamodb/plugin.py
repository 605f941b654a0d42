"""pytest entry point (``pytest11: aiodynamodb``): the ``dynamodb`` fixture and its marker.

Loaded in every pytest run of an environment where aiodynamodb is installed, so this
module imports nothing heavy: aiodynamodb, pydantic, aiomoto and botocore are imported
the first time a test asks for ``dynamodb``. ``-p no:aiodynamodb`` disables the plugin.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from pytest_aiodynamodb import marks
from pytest_aiodynamodb.settings import Settings, add_options, read_settings
from pytest_aiodynamodb.streams import dynamodb_stream
from pytest_aiodynamodb.tools import dynamodb_calls, dynamodb_faults, dynamodb_ttl

if TYPE_CHECKING:
    from aiodynamodb import DynamoDB, DynamoModel
    from aiodynamodb.testing import MissingTableHint
    from pytest_aiodynamodb.backends import Backend

MARKER = "dynamodb_tables"
SEED_MARKER = "dynamodb_seed"
FIXTURE = "dynamodb"
ASYNC_FIXTURE = "_dynamodb_async"

MARKER_HELP = (
    f"{MARKER}(*models): create empty tables for these aiodynamodb models (@table "
    "DynamoModel classes) for the dynamodb fixture; on a test, a class or a module "
    "(pytestmark); every marker that applies is merged."
)
SEED_MARKER_HELP = (
    f"{SEED_MARKER}(*items, file=None): put these model instances (and the rows of a JSON "
    "seed file, relative to the test file) in the dynamodb fixture's tables before the "
    "test; their models' tables are created too."
)
SEED_ARG_ERROR = (
    "@pytest.mark.{marker} on {where} got {got}; expected instances of @table DynamoModel "
    "classes (and file='rows.json'), e.g. @pytest.mark.{marker}(User(user_id='u1'))"
)
MARKER_ARG_ERROR = (
    "@pytest.mark.{marker} on {where} got {got}; expected DynamoModel classes decorated "
    "with @table, e.g. @pytest.mark.{marker}(User, Order)"
)
MARKER_KWARG_ERROR = (
    "@pytest.mark.{marker} on {where} got keyword argument(s) {names}; it takes model "
    "classes only, e.g. @pytest.mark.{marker}(User, Order)"
)
SEED_CLASS_ERROR = (
    "@pytest.mark.{marker} on {where} got the class {qualified}, not a model instance; it "
    "takes instances to put in the tables, e.g. @pytest.mark.{marker}({name}(...))"
)
SEED_CLASS_TABLES_HINT = "; for an empty table use @pytest.mark.{marker}({name})"
MISSING_EXTRA = (
    "the dynamodb fixture needs the 'testing' extra (aiomoto, moto, pytest-asyncio): "
    "install it from your clone of the aiodynamodb repository with  "
    "pip install -e '/path/to/aiodynamodb[testing]'  (once published, from PyPI: "
    "pip install 'aiodynamodb-orm[testing]')"
)


class PluginState:
    """Per-run state, kept in ``config.stash``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.backend: Backend | None = None
        # One MissingTableHint for the run, joining the interception chain at the first
        # test that needs it and leaving when the mock stops: joining and leaving around
        # every test rebuilt the chain twice per test. It reads the running test's tables.
        self.hint: MissingTableHint | None = None
        self.test: pytest.Item | None = None

    def get_backend(self) -> Backend:
        """The run's backend, created the first time a test needs it."""
        if self.backend is None:
            from pytest_aiodynamodb.backends import make_backend

            self.backend = make_backend(self.settings)
        return self.backend

    def declared_tables(self) -> list[str] | None:
        """The running test's tables (for the hint), or None between tests."""
        test = self.test
        return None if test is None else test.stash.get(TABLES, [])

    def join_hint(self, test: pytest.Item) -> None:
        """Point the hint at ``test``'s tables, adding it to the chain if it is not there."""
        if self.hint is None:
            from aiodynamodb.testing import MissingTableHint

            self.hint = MissingTableHint(self.declared_tables)
        self.hint.start()  # idempotent
        self.test = test

    def leave_hint(self) -> None:
        """Take the hint out of the chain (the mock stops, or the run ends)."""
        self.test = None
        if self.hint is not None:
            self.hint.stop()


# Before any conftest.py or test module is imported: see marks.py.
marks.install()

STATE = pytest.StashKey[PluginState]()
TABLES = pytest.StashKey[list[str]]()
PLAN = pytest.StashKey[tuple[list["DynamoModel"], list[str], list[type["DynamoModel"]]]]()
"""A test's seeds, seed files and models, worked out once by ``dynamodb`` for
``_dynamodb_async``."""


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Register the ``pytest_aiodynamodb_*`` hook specifications."""
    from pytest_aiodynamodb import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``--dynamodb-*`` options and ``dynamodb_*`` ini keys."""
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker and resolve the settings."""
    config.addinivalue_line("markers", MARKER_HELP)
    config.addinivalue_line("markers", SEED_MARKER_HELP)
    config.stash[STATE] = PluginState(read_settings(config))
    marks.push_test_class_patterns(config.getini("python_classes"))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Forget the run's ``python_classes`` (the enclosing run's apply again)."""
    if STATE in config.stash:
        marks.pop_test_class_patterns()


def pytest_sessionstart(session: pytest.Session) -> None:
    """On the endpoint backend: refuse AWS unless allowed, and check the server answers."""
    settings = session.config.stash[STATE].settings
    if settings.backend == "endpoint":
        from pytest_aiodynamodb.endpoint import check_endpoint

        check_endpoint(settings)


def pytest_report_header(config: pytest.Config) -> str:
    """Show the effective settings."""
    return config.stash[STATE].settings.header()


def _is_table_model(obj: object) -> bool:
    model_module = sys.modules.get("aiodynamodb.model")
    if model_module is None:  # no model exists unless aiodynamodb was imported
        return False
    return bool(model_module.is_table_model(obj))


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _describe(obj: object) -> str:
    if inspect.isclass(obj):
        return f"the class {_qualified(obj)} (not a @table DynamoModel)"
    return f"{obj!r} ({type(obj).__name__})"


def _marker_errors(item: pytest.Item) -> list[str]:
    errors: list[str] = []
    for mark in item.iter_markers(MARKER):
        where = item.nodeid
        if mark.kwargs:
            errors.append(
                MARKER_KWARG_ERROR.format(marker=MARKER, where=where, names=", ".join(mark.kwargs))
            )
        for arg in mark.args:
            if not _is_table_model(arg):
                errors.append(
                    MARKER_ARG_ERROR.format(marker=MARKER, where=where, got=_describe(arg))
                )
    for mark in item.iter_markers(SEED_MARKER):
        where = item.nodeid
        unknown = set(mark.kwargs) - {"file"}
        if unknown:
            errors.append(
                SEED_ARG_ERROR.format(
                    marker=SEED_MARKER, where=where, got=f"keyword(s) {', '.join(sorted(unknown))}"
                )
            )
        for arg in mark.args:
            if inspect.isclass(arg):
                name = arg.__qualname__
                message = SEED_CLASS_ERROR.format(
                    marker=SEED_MARKER, where=where, name=name, qualified=_qualified(arg)
                )
                if _is_table_model(arg):
                    message += SEED_CLASS_TABLES_HINT.format(marker=MARKER, name=name)
                errors.append(message)
            elif not _is_table_model(type(arg)):
                errors.append(
                    SEED_ARG_ERROR.format(marker=SEED_MARKER, where=where, got=_describe(arg))
                )
    return errors


def _table_conflicts(item: pytest.Item) -> list[str]:
    models = [arg for mark in item.iter_markers(MARKER) for arg in mark.args]
    models += [type(arg) for mark in item.iter_markers(SEED_MARKER) for arg in mark.args]
    if len(models) < 2 or not all(_is_table_model(model) for model in models):
        return []
    from aiodynamodb.testing import TableConflictError, table_models

    try:
        table_models(models)
    except TableConflictError as error:
        return [f"{item.nodeid}: {error}"]
    return []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse ``dynamodb_tables`` markers whose arguments are not table models, or whose
    models share a table without agreeing on its schema."""
    errors: list[str] = []
    for item in items:
        errors.extend(_marker_errors(item) or _table_conflicts(item))
    if errors:
        raise pytest.UsageError("\n".join(dict.fromkeys(errors)))


def _needs_dynamodb(item: object) -> bool:
    return FIXTURE in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Let the backend know whether the next test needs it (to keep the mock warm)."""
    try:
        return (yield)
    finally:
        state = item.config.stash.get(STATE, None)
        if state is not None and state.backend is not None and _needs_dynamodb(item):
            next_needs = nextitem is not None and _needs_dynamodb(nextitem)
            state.backend.between_tests(next_needs)
            if not next_needs:
                state.leave_hint()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Add the tables' contents to the report of a failed test that used ``dynamodb``."""
    report = yield
    if report.when == "call" and report.failed and TABLES in item.stash:
        state = item.config.stash[STATE]
        limit = state.settings.report_max_items
        if limit and state.backend is not None:
            from pytest_aiodynamodb.backends import dump_tables

            tables: list[str] = item.stash[TABLES]
            text = dump_tables(state.backend, tables, limit, 16_000)
            report.sections.append(("dynamodb tables", text))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the backend: close clients, stop servers, remove tables it created."""
    state = session.config.stash.get(STATE, None)
    if state is not None:
        state.leave_hint()
    if state is not None and state.backend is not None:
        import asyncio

        backend, state.backend = state.backend, None
        asyncio.run(backend.finish())


def _seeds(request: pytest.FixtureRequest) -> tuple[list[DynamoModel], list[str]]:
    """Items and seed files of the test's ``dynamodb_seed`` markers (closest last)."""
    items: list[DynamoModel] = []
    files: list[str] = []
    for mark in reversed(list(request.node.iter_markers(SEED_MARKER))):
        items.extend(mark.args)
        if mark.kwargs.get("file"):
            files.append(str(request.node.path.parent / mark.kwargs["file"]))
    return items, files


def _models_for(
    request: pytest.FixtureRequest, seeded: list[DynamoModel]
) -> list[type[DynamoModel]]:
    models: list[type[DynamoModel]] = []
    for mark in request.node.iter_markers(MARKER):
        models.extend(mark.args)
    models.extend(type(item) for item in seeded)
    for defaults in request.node.ihook.pytest_aiodynamodb_default_models(config=request.config):
        for model in defaults or ():
            if not _is_table_model(model):
                raise pytest.UsageError(
                    "pytest_aiodynamodb_default_models returned "
                    f"{_describe(model)}; expected @table DynamoModel classes"
                )
            models.append(model)
    return list(dict.fromkeys(models))


def _client_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    hook = request.node.ihook.pytest_aiodynamodb_client_settings
    for result in reversed(hook(config=request.config)):
        if result:
            merged.update(result)
    return merged


def _dynamodb(request: pytest.FixtureRequest) -> Iterator[DynamoDB]:
    """The fixture: set up without an event loop where it can, else by ``_dynamodb_async``.

    Most tests need nothing awaited: their tables were created by an earlier test and are
    restored from copies, on the memory backend's shared client. Doing that in a plain
    generator spares each test pytest-asyncio's two passes of the event loop (set-up and
    tear-down of an async fixture). The first test of a table, seeds, client settings and
    the server and endpoint backends take the async path, as before.
    """
    __tracebackhide__ = True
    from pytest_aiodynamodb.backends import MemoryBackend

    state = request.config.stash[STATE]
    backend = state.get_backend()
    seeded, seed_files = _seeds(request)
    models = _models_for(request, seeded)
    hooks = request.node.ihook
    if (
        not isinstance(backend, MemoryBackend)
        or seeded
        or seed_files
        # Hooks that may await (seeds) or ask for a client of the test's own (settings).
        or hooks.pytest_aiodynamodb_seed.get_hookimpls()
        or hooks.pytest_aiodynamodb_client_settings.get_hookimpls()
        or not backend.ready(models)
    ):
        request.node.stash[PLAN] = (seeded, seed_files, models)
        yield request.getfixturevalue(ASYNC_FIXTURE)
        return
    with _test_context(request, backend):
        db = backend.start_test_now(models)
        try:
            request.node.stash[TABLES] = _table_names(db, models)
            yield db
        finally:
            backend.end_test_now(db)


async def _dynamodb_async(request: pytest.FixtureRequest) -> AsyncIterator[DynamoDB]:
    __tracebackhide__ = True
    plan = request.node.stash.get(PLAN, None)
    if plan is None:  # requested by name rather than through ``dynamodb``
        seeded, seed_files = _seeds(request)
        plan = (seeded, seed_files, _models_for(request, seeded))
    seeded, seed_files, models = plan
    backend = request.config.stash[STATE].get_backend()
    with _test_context(request, backend):
        async for db in _tables(request, backend, models, seeded, seed_files):
            yield db


@contextmanager
def _test_context(request: pytest.FixtureRequest, backend: Backend) -> Iterator[None]:
    """What surrounds a test's tables: the environment, the mock, interception, the hint."""
    __tracebackhide__ = True
    from aiodynamodb.testing import MissingExtraError
    from aiodynamodb.testing.environment import patched_environment
    from aiodynamodb.testing.intercept import intercepting

    with patched_environment(backend.environment(), fake_credentials=backend.fake_credentials):
        missing: MissingExtraError | None = None
        try:
            # Before intercepting(): aiomoto must patch client creation first, so the
            # interception layer can take moto's place on every client it instruments.
            backend.prepare()
        except MissingExtraError as error:
            missing = error
        if missing is not None:
            pytest.fail(f"{MISSING_EXTRA} (missing module: {missing.name})", pytrace=False)
        state = request.config.stash[STATE]
        with intercepting():
            state.join_hint(request.node)
            try:
                yield
            finally:
                state.test = None


def _table_names(db: DynamoDB, models: list[type[DynamoModel]]) -> list[str]:
    from aiodynamodb import table_meta

    # Not db.table_name(): that also builds each table's CreateTable request for the
    # client's checks, which this new client does anyway if the test uses the table.
    prefix = db.table_prefix
    return [prefix + table_meta(model).name for model in models]


async def _tables(
    request: pytest.FixtureRequest,
    backend: Backend,
    models: list[type[DynamoModel]],
    seeded: list[DynamoModel],
    seed_files: list[str],
) -> AsyncIterator[DynamoDB]:
    from aiodynamodb.testing.seeding import load_seed_file

    db = await backend.start_test(models, _client_settings(request))
    try:
        request.node.stash[TABLES] = _table_names(db, models)
        problem: str | None = None
        for path in seed_files:
            try:
                seeded.extend(load_seed_file(path, models))
            except (OSError, ValueError) as error:
                problem = str(error)
        if problem is not None:
            pytest.fail(problem, pytrace=False)
        if seeded:
            await db.batch_write(puts=seeded)
        results = request.node.ihook.pytest_aiodynamodb_seed(db=db, request=request, models=models)
        for result in results:
            if inspect.isawaitable(result):
                await result
        yield db
    finally:
        await backend.end_test(db)


FIXTURE_DOC = """A DynamoDB client whose tables exist and are empty when the test starts.

    Tables come from ``@pytest.mark.dynamodb_tables(User, Order)`` on the test, its class
    and its module (merged), plus ``pytest_aiodynamodb_default_models`` hooks;
    ``pytest_aiodynamodb_seed`` hooks fill them. Code under test that builds its own
    ``DynamoDB()`` or aiobotocore client sees the same tables. Backend, endpoint and
    strictness: ``--dynamodb-backend``, ``--dynamodb-endpoint``, ``--dynamodb-strict``.
    """


ASYNC_FIXTURE_DOC = "The dynamodb fixture's set-up when it has something to await (internal)."


def _define_fixtures() -> tuple[Any, Any]:
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - exercised in a venv without the testing extra

        def unavailable() -> None:
            pytest.fail(MISSING_EXTRA, pytrace=False)

        unavailable.__doc__ = FIXTURE_DOC
        return pytest.fixture(name=FIXTURE)(unavailable), None

    def dynamodb(request: pytest.FixtureRequest) -> Iterator[DynamoDB]:
        yield from _dynamodb(request)

    async def dynamodb_async(request: pytest.FixtureRequest) -> AsyncIterator[DynamoDB]:
        async for db in _dynamodb_async(request):
            yield db

    dynamodb.__doc__ = FIXTURE_DOC
    dynamodb_async.__doc__ = ASYNC_FIXTURE_DOC
    return (
        pytest.fixture(name=FIXTURE)(dynamodb),
        pytest_asyncio.fixture(name=ASYNC_FIXTURE)(dynamodb_async),
    )


dynamodb, dynamodb_async = _define_fixtures()


@pytest.fixture
def dynamodb_endpoint_url(dynamodb: DynamoDB, request: pytest.FixtureRequest) -> str | None:
    """URL where other processes reach the test's tables (None on the memory backend)."""
    backend = request.config.stash[STATE].backend
    return backend.endpoint_url if backend is not None else None


__all__ = [
    "dynamodb",
    "dynamodb_calls",
    "dynamodb_endpoint_url",
    "dynamodb_faults",
    "dynamodb_stream",
    "dynamodb_ttl",
]
