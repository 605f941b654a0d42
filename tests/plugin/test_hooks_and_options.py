"""Hooks implemented in a conftest, options in their three forms, the report header and the
failure section, seen from outside with pytester."""

from __future__ import annotations

import textwrap

import pytest


def test_default_models_hook_adds_tables_to_every_test(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        from models import Audit

        def pytest_aiodynamodb_default_models(config):
            return [Audit]
        """
    )
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_tables(User)
        async def test_marked(dynamodb):
            low = await dynamodb.low_level_client()
            assert sorted((await low.list_tables())["TableNames"]) == ["audit", "users"]

        async def test_unmarked(dynamodb):
            low = await dynamodb.low_level_client()
            assert (await low.list_tables())["TableNames"] == ["audit"]
        """
    )
    project.runpytest().assert_outcomes(passed=2)


def test_default_models_hook_returning_a_non_model_is_a_usage_error(
    project: pytest.Pytester,
) -> None:
    project.makeconftest(
        """
        def pytest_aiodynamodb_default_models(config):
            return ["users"]
        """
    )
    project.makepyfile(test_it="async def test_it(dynamodb): pass")
    result = project.runpytest()
    result.stdout.fnmatch_lines(
        ["*pytest_aiodynamodb_default_models returned 'users' (str); expected @table*"]
    )
    result.assert_outcomes(errors=1)


@pytest.mark.parametrize("style", ["async", "sync"])
def test_seed_hook_runs_after_tables_exist(project: pytest.Pytester, style: str) -> None:
    body = (
        """
        async def pytest_aiodynamodb_seed(db, request, models):
            if User in models:
                await db.put(User(user_id="admin", name=request.node.name))
        """
        if style == "async"
        else """
        def pytest_aiodynamodb_seed(db, request, models):
            seen.append([m.__name__ for m in models])
        """
    )
    project.makeconftest("from models import User\nseen = []\n" + textwrap.dedent(body))
    project.makepyfile(
        test_it=f"""
        import pytest
        from models import User, Audit
        import conftest

        @pytest.mark.dynamodb_tables(User)
        async def test_seeded(dynamodb):
            if {style == "async"}:
                assert await dynamodb.get(User, hash_key="admin") == User(
                    user_id="admin", name="test_seeded"
                )
            else:
                assert conftest.seen == [["User"]]

        @pytest.mark.dynamodb_tables(Audit)
        async def test_other_tables(dynamodb):
            if not {style == "async"}:
                assert conftest.seen[-1] == ["Audit"]
        """
    )
    project.runpytest().assert_outcomes(passed=2)


def test_client_settings_hook_configures_the_fixture_client(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        def pytest_aiodynamodb_client_settings(config):
            return {"batch_max_attempts": 3, "batch_base_delay": 0.001}
        """
    )
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_tables(User)
        async def test_settings(dynamodb):
            assert dynamodb.retry.max_attempts == 3
            assert dynamodb.retry.base_delay == 0.001
            await dynamodb.put(User(user_id="u1"))
            assert await dynamodb.get(User, hash_key="u1") is not None
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_report_header_states_the_settings(project: pytest.Pytester) -> None:
    result = project.runpytest("--co")
    result.stdout.fnmatch_lines(["aiodynamodb: backend=memory, strict=on"])
    result = project.runpytest("--co", "--dynamodb-no-strict", "--dynamodb-table-prefix=t_")
    result.stdout.fnmatch_lines(["aiodynamodb: backend=memory, strict=off, table_prefix='t_'"])


@pytest.mark.parametrize("form", ["cli", "ini", "env"])
def test_options_have_cli_ini_and_env_forms(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    args: list[str] = []
    if form == "cli":
        args = ["--dynamodb-table-prefix=dev_"]
    elif form == "ini":
        from .conftest import ini

        project.makefile(".ini", pytest=ini(extra="dynamodb_table_prefix = dev_"))
    else:
        monkeypatch.setenv("AIODYNAMODB_TEST_TABLE_PREFIX", "dev_")
    project.makepyfile(
        test_it="""
        import os
        import pytest
        from aiodynamodb import DynamoDB
        from models import User

        @pytest.mark.dynamodb_tables(User)
        async def test_prefix(dynamodb):
            assert dynamodb.table_name(User) == "dev_users"
            low = await dynamodb.low_level_client()
            assert (await low.list_tables())["TableNames"] == ["dev_users"]
            assert os.environ["AIODYNAMODB_TABLE_PREFIX"] == "dev_"
            async with DynamoDB() as own:
                await own.put(User(user_id="u1"))
            assert await dynamodb.get(User, hash_key="u1") is not None
        """
    )
    project.runpytest(*args).assert_outcomes(passed=1)


def test_cli_beats_env_beats_ini(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import ini

    project.makefile(".ini", pytest=ini(extra="dynamodb_table_prefix = ini_"))
    monkeypatch.setenv("AIODYNAMODB_TEST_TABLE_PREFIX", "env_")
    project.runpytest("--co").stdout.fnmatch_lines(["*table_prefix='env_'"])
    project.runpytest("--co", "--dynamodb-table-prefix=cli_").stdout.fnmatch_lines(
        ["*table_prefix='cli_'"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dynamodb-backend=cloud"], "*--dynamodb-backend*invalid choice: 'cloud'*"),
        (
            ["--dynamodb-backend=endpoint"],
            "ERROR: --dynamodb-backend=endpoint needs the server's URL*",
        ),
        (
            ["--dynamodb-report-max-items=-1"],
            "ERROR: --dynamodb-report-max-items * expected a whole number >= 0*",
        ),
    ],
    ids=["backend-choice", "endpoint-without-url", "negative-int"],
)
def test_bad_option_values_are_usage_errors(
    project: pytest.Pytester, args: list[str], message: str
) -> None:
    result = project.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_bad_boolean_in_the_environment_is_a_usage_error(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIODYNAMODB_STRICT", "maybe")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: --dynamodb-strict / dynamodb_strict / AIODYNAMODB_STRICT: "
            "expected true or false, got 'maybe'"
        ]
    )


def test_failed_test_report_shows_table_contents(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User, Audit

        @pytest.mark.dynamodb_tables(User, Audit)
        async def test_fails(dynamodb):
            for i in range(3):
                await dynamodb.put(User(user_id=f"u{i}", name="Ann"))
            assert False, "boom"
        """
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- dynamodb tables -*",
            "table users: 3 item(s) shown",
            '  {"name": "Ann", "user_id": "u*"}',
            '  {"name": "Ann", "user_id": "u*"}',
            '  {"name": "Ann", "user_id": "u*"}',
            "table audit: 0 item(s) shown",
        ]
    )


def test_failure_report_shows_numbers_as_numbers(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        from decimal import Decimal
        import pytest
        from aiodynamodb import DynamoModel, table

        @table("prices", hash_key="sku")
        class Price(DynamoModel):
            sku: str
            amount: Decimal
            count: int
            ratio: float
            sizes: set[int]
            tags: set[str]
            blob: bytes
            extra: dict[str, Decimal]
            flags: list[bool | None]

        @pytest.mark.dynamodb_tables(Price)
        async def test_fails(dynamodb):
            await dynamodb.put(Price(
                sku="p1", amount=Decimal("9.90"), count=3, ratio=0.25, sizes={10, 2},
                tags={"b", "a"}, blob=b"hi", extra={"tax": Decimal("1E+2")},
                flags=[True, None],
            ))
            assert False
        """
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "table prices: 1 item(s) shown",
            '  {"amount": 9.9, "blob": "aGk=", "count": 3, "extra": {"tax": 100}, '
            '"flags": [true, null], "ratio": 0.25, "sizes": [2, 10], "sku": "p1", '
            '"tags": ["a", "b"]}',
        ]
    )


def test_failure_section_is_bounded_and_says_what_was_cut(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_tables(User)
        async def test_fails(dynamodb):
            await dynamodb.batch_write(puts=[User(user_id=f"u{i}") for i in range(30)])
            assert False
        """
    )
    result = project.runpytest("--dynamodb-report-max-items=2")
    result.stdout.fnmatch_lines(
        ["table users: 2 item(s) shown (more not shown: limit of 2 items per table)"]
    )
    result = project.runpytest("--dynamodb-report-max-items=0")
    assert "dynamodb tables" not in result.stdout.str()


def test_passing_tests_get_no_section(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_tables(User)
        async def test_ok(dynamodb):
            await dynamodb.put(User(user_id="u1"))
        """
    )
    result = project.runpytest("-rA")
    result.assert_outcomes(passed=1)
    assert "dynamodb tables" not in result.stdout.str()


def test_missing_testing_extra_names_the_extra(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        import sys
        sys.modules["aiomoto"] = None  # as if the testing extra were not installed
        """
    )
    project.makepyfile(
        test_it="""
        async def test_needs_it(dynamodb):
            pass

        def test_plain():
            pass
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    assert "Traceback" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "the dynamodb fixture needs the 'testing' extra (aiomoto, moto, pytest-asyncio): "
            "install it from your clone of the aiodynamodb repository with  "
            "pip install -e '/path/to/aiodynamodb[[]testing[]]'  (once published, from PyPI: "
            "pip install 'aiodynamodb-orm[[]testing[]]') (missing module: aiomoto)"
        ]
    )


def test_xdist_workers_do_not_share_tables(project: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    project.makepyfile(
        test_it="""
        import os
        import pytest
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        @pytest.mark.parametrize("n", range(20))
        async def test_alone(dynamodb, n):
            me = os.environ["PYTEST_XDIST_WORKER"]
            await dynamodb.put(User(user_id=f"{me}-{n}"))
            assert [u.user_id for u in await dynamodb.scan(User).all()] == [f"{me}-{n}"]
        """
    )
    result = project.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=20)


def test_conftest_hooks_apply_only_below_their_directory(project: pytest.Pytester) -> None:
    project.mkpydir("a")
    project.mkpydir("b")
    (project.path / "b" / "conftest.py").write_text(
        "from models import Audit\n\n"
        "def pytest_aiodynamodb_default_models(config):\n"
        "    return [Audit]\n"
    )
    body = """
import pytest
from models import User

@pytest.mark.dynamodb_tables(User)
async def test_tables(dynamodb):
    low = await dynamodb.low_level_client()
    assert sorted((await low.list_tables())["TableNames"]) == {expected}
"""
    (project.path / "a" / "test_a.py").write_text(body.format(expected=["users"]))
    (project.path / "b" / "test_b.py").write_text(body.format(expected=["audit", "users"]))
    project.runpytest().assert_outcomes(passed=2)


def test_boolean_options_are_flags_and_the_last_one_wins(project: pytest.Pytester) -> None:
    project.makepyfile(test_it="def test_it(): pass")
    result = project.runpytest("--dynamodb-no-strict", "--dynamodb-strict", "test_it.py")
    result.stdout.fnmatch_lines(["aiodynamodb: backend=memory, strict=on"])
    result.assert_outcomes(passed=1)
    result = project.runpytest("--dynamodb-strict", "--dynamodb-no-strict", "test_it.py")
    result.stdout.fnmatch_lines(["aiodynamodb: backend=memory, strict=off"])


def test_boolean_flags_override_the_ini_value(project: pytest.Pytester) -> None:
    from .conftest import ini

    settings = "dynamodb_strict = false\ndynamodb_allow_aws = true\n"
    project.makefile(".ini", pytest=ini() + settings)
    project.makepyfile(test_it="async def test_it(dynamodb): pass")
    project.runpytest("--co").stdout.fnmatch_lines(["aiodynamodb: backend=memory, strict=off"])
    result = project.runpytest("--co", "--dynamodb-strict")
    result.stdout.fnmatch_lines(["aiodynamodb: backend=memory, strict=on"])
    endpoint = "https://dynamodb.us-east-1.amazonaws.com"
    result = project.runpytest(
        "--dynamodb-backend=endpoint", f"--dynamodb-endpoint={endpoint}", "--dynamodb-no-allow-aws"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: refusing to run tests against the real AWS endpoint *"])


@pytest.mark.parametrize("value", ["false", "0", "off", "no"])
def test_boolean_options_read_the_environment(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("AIODYNAMODB_STRICT", value)
    project.runpytest("--co").stdout.fnmatch_lines(["aiodynamodb: backend=memory, strict=off"])


def test_typed_marker_helpers(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        from pytest_aiodynamodb import dynamodb_seed, dynamodb_tables
        from models import User, Audit

        @dynamodb_tables(Audit)
        @dynamodb_seed(User(user_id="u1"))
        async def test_it(dynamodb):
            assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1")
            low = await dynamodb.low_level_client()
            assert sorted((await low.list_tables())["TableNames"]) == ["audit", "users"]
        """
    )
    project.runpytest().assert_outcomes(passed=1)
