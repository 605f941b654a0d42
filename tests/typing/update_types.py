"""What ``put``, ``delete`` and ``update`` return, by ``return_values``."""

from __future__ import annotations

from typing import Any, Literal, assert_type

from aiodynamodb import DynamoDB, DynamoModel, UpdateAttr, table


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str
    visits: int = 0


async def updates(db: DynamoDB) -> None:
    actions = [UpdateAttr("visits").add(1)]
    assert_type(await db.update(User, hash_key="u1", update_expression=actions), None)
    assert_type(
        await db.update(User, hash_key="u1", update_expression=actions, return_values="NONE"),
        None,
    )
    new = await db.update(User, hash_key="u1", update_expression=actions, return_values="ALL_NEW")
    assert_type(new, User)
    assert new.visits >= 1  # usable directly: ALL_NEW is never None
    old = await db.update(User, hash_key="u1", update_expression=actions, return_values="ALL_OLD")
    assert_type(old, User | None)
    assert_type(
        await db.update(
            User, hash_key="u1", update_expression=actions, return_values="UPDATED_NEW"
        ),
        dict[str, Any] | None,
    )
    assert_type(
        await db.update(
            User, hash_key="u1", update_expression=actions, return_values="UPDATED_OLD"
        ),
        dict[str, Any] | None,
    )


async def puts_and_deletes(db: DynamoDB, mode: Literal["NONE", "ALL_OLD"]) -> None:
    user = User(user_id="u1", name="Alice")
    assert_type(await db.put(user), None)
    assert_type(await db.put(user, return_values="NONE"), None)
    assert_type(await db.put(user, return_values="ALL_OLD"), User | None)
    assert_type(await db.put(user, return_values=mode), User | None)
    assert_type(await db.delete(User, hash_key="u1"), None)
    assert_type(await db.delete(User, hash_key="u1", return_values="ALL_OLD"), User | None)
    assert_type(await db.delete(User, hash_key="u1", return_values=mode), User | None)


async def refused(db: DynamoDB) -> None:
    # put and delete have no UPDATED_* or ALL_NEW (DynamoDB refuses them there too).
    await db.put(User(user_id="u1", name="A"), return_values="ALL_NEW")  # type: ignore[call-overload]
    await db.delete(User, hash_key="u1", return_values="UPDATED_OLD")  # type: ignore[call-overload]
