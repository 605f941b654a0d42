"""The dynamodb fixture and the dynamodb_tables marker, seen from outside with pytester."""

from __future__ import annotations

import pytest

from .conftest import ini


def test_fixture_gives_empty_tables_for_marked_models(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User, Order

        @pytest.mark.dynamodb_tables(User, Order)
        async def test_tables(dynamodb):
            low = await dynamodb.low_level_client()
            names = (await low.list_tables())["TableNames"]
            assert sorted(names) == ["orders", "users"]
            assert await dynamodb.scan(User).all() == []
            await dynamodb.put(User(user_id="u1"))
            assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1")
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_a_later_test_never_sees_an_earlier_tests_items(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        @pytest.mark.parametrize("n", range(5))
        async def test_isolated(dynamodb, n):
            assert await dynamodb.scan(User).all() == []
            await dynamodb.put(User(user_id=f"u{n}"))

        def test_plain_in_between():
            pass

        async def test_after_gap(dynamodb):
            assert await dynamodb.scan(User).all() == []
        """
    )
    project.runpytest().assert_outcomes(passed=7)


def test_tables_not_marked_do_not_exist(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User, Order

        @pytest.mark.dynamodb_tables(User, Order)
        async def test_first(dynamodb):
            pass

        @pytest.mark.dynamodb_tables(User)
        async def test_second(dynamodb):
            low = await dynamodb.low_level_client()
            assert (await low.list_tables())["TableNames"] == ["users"]
        """
    )
    project.runpytest().assert_outcomes(passed=2)


@pytest.mark.parametrize(
    "where",
    ["function", "class", "module"],
)
def test_one_model_marker_works_everywhere(project: pytest.Pytester, where: str) -> None:
    sources = {
        "function": """
            import pytest
            from models import User

            @pytest.mark.dynamodb_tables(User)
            async def test_one(dynamodb):
                await dynamodb.put(User(user_id="u1"))
                assert await dynamodb.get(User, hash_key="u1") is not None
            """,
        "class": """
            import pytest
            from models import User

            @pytest.mark.dynamodb_tables(User)
            class TestUsers:
                async def test_one(self, dynamodb):
                    await dynamodb.put(User(user_id="u1"))
                    assert await dynamodb.get(User, hash_key="u1") is not None
            """,
        "module": """
            import pytest
            from models import User

            pytestmark = pytest.mark.dynamodb_tables(User)

            async def test_one(dynamodb):
                await dynamodb.put(User(user_id="u1"))
                assert await dynamodb.get(User, hash_key="u1") is not None
            """,
    }
    project.makepyfile(test_it=sources[where])
    result = project.runpytest()
    result.assert_outcomes(passed=1)


def test_one_model_marker_leaves_the_model_usable(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_tables(User)
        async def test_one(dynamodb):
            pass

        def test_model_is_untouched():
            assert "pytestmark" not in User.__dict__
            assert User(user_id="x").user_id == "x"
        """
    )
    project.runpytest().assert_outcomes(passed=2)


def test_one_model_marker_in_pytest_param(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User, Order

        @pytest.mark.parametrize(
            "model",
            [
                pytest.param(User, marks=pytest.mark.dynamodb_tables(User), id="user"),
                pytest.param(Order, marks=[pytest.mark.dynamodb_tables(Order)], id="order"),
            ],
        )
        async def test_param(dynamodb, model):
            low = await dynamodb.low_level_client()
            assert (await low.list_tables())["TableNames"] == [dynamodb.table_name(model)]
        """
    )
    project.runpytest().assert_outcomes(passed=2)


def test_one_model_marker_built_while_conftest_is_imported(project: pytest.Pytester) -> None:
    # conftest.py files are imported before pytest_configure runs.
    project.makepyfile(
        helpers="""
        import pytest
        from models import User

        USER_TABLE = pytest.mark.dynamodb_tables(User)
        """,
        conftest="""
        from helpers import USER_TABLE

        def pytest_collection_modifyitems(items):
            for item in items:
                item.add_marker(USER_TABLE)
        """,
        test_it="""
        from models import User

        async def test_marked_by_conftest(dynamodb):
            await dynamodb.put(User(user_id="u1"))
        """,
    )
    project.runpytest().assert_outcomes(passed=1)


def test_one_model_marker_with_the_plugin_named_by_p(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh process that loads the plugin only through -p (no entry points), on xdist
    # workers, with the one-model form in a conftest helper, a module, a class and a param.
    pytest.importorskip("xdist")
    project.makepyfile(
        helpers="""
        import pytest
        from models import Audit

        AUDIT_TABLE = pytest.mark.dynamodb_tables(Audit)
        """,
        conftest="""
        from helpers import AUDIT_TABLE

        def pytest_collection_modifyitems(items):
            for item in items:
                item.add_marker(AUDIT_TABLE)
        """,
        test_it="""
        import pytest
        from models import Audit, Order, User

        pytestmark = pytest.mark.dynamodb_tables(User)

        @pytest.mark.dynamodb_tables(Order)
        class TestAll:
            @pytest.mark.parametrize(
                "n", [pytest.param(1, marks=pytest.mark.dynamodb_tables(User)), 2]
            )
            async def test_tables(self, dynamodb, n):
                low = await dynamodb.low_level_client()
                assert sorted((await low.list_tables())["TableNames"]) == [
                    "audit", "orders", "users"
                ]
        """,
    )
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    plugins = ["xdist.plugin", "pytest_asyncio.plugin", "pytest_aiodynamodb.plugin"]
    args = [arg for name in plugins for arg in ("-p", name)]
    project.runpytest_subprocess(*args, "-n", "2").assert_outcomes(passed=2)


def test_bare_marker_on_a_test_class_still_marks_the_class(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest

        @pytest.mark.dynamodb_tables
        class TestBare:
            async def test_no_tables(self, dynamodb, request):
                assert request.node.get_closest_marker("dynamodb_tables").args == ()
                low = await dynamodb.low_level_client()
                assert (await low.list_tables())["TableNames"] == []
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_markers_on_module_class_and_function_are_merged(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User, Order, Audit

        pytestmark = pytest.mark.dynamodb_tables(User)

        @pytest.mark.dynamodb_tables(Order)
        class TestMerge:
            @pytest.mark.dynamodb_tables(Audit, User)
            async def test_all_three(self, dynamodb):
                low = await dynamodb.low_level_client()
                assert sorted((await low.list_tables())["TableNames"]) == [
                    "audit", "orders", "users"
                ]
        """
    )
    project.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("args", "described"),
    [
        ('User, "users"', "got 'users' (str)"),
        ("User, Plain", "got the class test_it.Plain (not a @table DynamoModel)"),
        ("User, Untabled", "got the class test_it.Untabled (not a @table DynamoModel)"),
        ('"users"', "got 'users' (str)"),
        ("Plain", "got the class test_it.Plain (not a @table DynamoModel)"),
        ("Untabled", "got the class test_it.Untabled (not a @table DynamoModel)"),
        ("PlainModel", "got the class test_it.PlainModel (not a @table DynamoModel)"),
        ("Color", "got the class test_it.Color (not a @table DynamoModel)"),
        ("dict", "got the class builtins.dict (not a @table DynamoModel)"),
        ("User(user_id='x')", "got User(user_id='x', name='n') (User)"),
    ],
    ids=[
        "string",
        "plain-class",
        "model-without-table",
        "lone-string",
        "lone-plain-class",
        "lone-model-without-table",
        "lone-pydantic-model",
        "lone-enum",
        "lone-builtin",
        "lone-instance",
    ],
)
def test_marker_with_non_model_is_a_usage_error(
    project: pytest.Pytester, args: str, described: str
) -> None:
    project.makepyfile(
        test_it=f"""
        import enum
        import pytest
        from pydantic import BaseModel
        from aiodynamodb import DynamoModel
        from models import User

        class Plain:
            pass

        class PlainModel(BaseModel):
            x: str

        class Color(enum.Enum):
            RED = "red"

        class Untabled(DynamoModel):
            x: str

        @pytest.mark.dynamodb_tables({args})
        async def test_bad(dynamodb):
            pass
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: @pytest.mark.dynamodb_tables on test_it.py::test_bad {described}; "
            "expected DynamoModel classes decorated with @table, "
            "e.g. @pytest.mark.dynamodb_tables(User, Order)"
        ]
    )
    assert "Traceback" not in result.stderr.str()
    assert "pytest_aiodynamodb" not in result.stderr.str()


def test_marker_keyword_arguments_are_a_usage_error(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_tables(User, prefix="x")
        async def test_bad(dynamodb):
            pass
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: *got keyword argument(s) prefix; it takes model classes*"])


def test_marker_is_registered_for_strict_markers(project: pytest.Pytester) -> None:
    result = project.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.dynamodb_tables(*models): create empty tables*"])


@pytest.mark.parametrize("mode", ["strict", "auto"])
def test_fixture_works_in_strict_and_auto_mode(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makefile(".ini", pytest=ini(mode))
    pytester.makepyfile(
        test_it="""
        import pytest
        from aiodynamodb import DynamoModel, table

        @table("things", hash_key="id")
        class Thing(DynamoModel):
            id: str

        @pytest.mark.asyncio
        @pytest.mark.dynamodb_tables(Thing)
        async def test_put(dynamodb):
            await dynamodb.put(Thing(id="1"))
            assert await dynamodb.get(Thing, hash_key="1") == Thing(id="1")
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("scope", ["function", "module", "session"])
def test_fixture_works_with_every_loop_scope(pytester: pytest.Pytester, scope: str) -> None:
    pytester.makefile(".ini", pytest=ini("auto"))
    pytester.makepyfile(
        test_it=f"""
        import pytest
        from aiodynamodb import DynamoModel, table

        @table("things", hash_key="id")
        class Thing(DynamoModel):
            id: str

        pytestmark = [
            pytest.mark.asyncio(loop_scope="{scope}"),
            pytest.mark.dynamodb_tables(Thing),
        ]

        async def test_first(dynamodb):
            await dynamodb.put(Thing(id="1"))
            assert await dynamodb.get(Thing, hash_key="1") == Thing(id="1")

        async def test_second(dynamodb):
            assert await dynamodb.get(Thing, hash_key="1") is None
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_code_under_test_with_its_own_clients_sees_the_tables(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from aiobotocore.session import get_session
        from aiodynamodb import DynamoDB
        from models import User

        async def count_users_raw():
            async with get_session().create_client("dynamodb") as client:
                return (await client.scan(TableName="users"))["Count"]

        async def load_user(user_id):
            async with DynamoDB() as db:
                return await db.get(User, hash_key=user_id)

        @pytest.mark.dynamodb_tables(User)
        async def test_same_tables(dynamodb):
            await dynamodb.put(User(user_id="u1", name="Alice"))
            assert await count_users_raw() == 1
            assert await load_user("u1") == User(user_id="u1", name="Alice")
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_fixtures_help_shows_the_docstring(project: pytest.Pytester) -> None:
    result = project.runpytest("--fixtures")
    result.stdout.fnmatch_lines(
        [
            "dynamodb -- *plugin.py:*",
            "    A DynamoDB client whose tables exist and are empty when the test starts.",
        ]
    )


def test_plugin_can_be_disabled(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        def test_plain(request):
            assert "dynamodb" not in request.fixturenames
        """
    )
    result = project.runpytest("-p", "no:aiodynamodb", "--fixtures")
    assert "dynamodb -- " not in result.stdout.str()
    project.runpytest("-p", "no:aiodynamodb").assert_outcomes(passed=1)
