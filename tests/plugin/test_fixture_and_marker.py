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
    ("arg", "described"),
    [
        ('"users"', "got 'users' (str)"),
        ("Plain", "got the class test_it.Plain (not a @table DynamoModel)"),
        ("Untabled", "got the class test_it.Untabled (not a @table DynamoModel)"),
    ],
    ids=["string", "plain-class", "model-without-table"],
)
def test_marker_with_non_model_is_a_usage_error(
    project: pytest.Pytester, arg: str, described: str
) -> None:
    project.makepyfile(
        test_it=f"""
        import pytest
        from aiodynamodb import DynamoModel
        from models import User

        class Plain:
            pass

        class Untabled(DynamoModel):
            x: str

        @pytest.mark.dynamodb_tables(User, {arg})
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
