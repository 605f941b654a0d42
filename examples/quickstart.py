"""aiodynamodb in one file: ``python examples/quickstart.py``.

Runs against the in-memory DynamoDB from ``aiodynamodb.testing`` (the ``testing`` extra),
so it needs no AWS account and no server, and prints each step. To run the same code
against a real table, replace ``mock_dynamodb(User, Post)`` with ``DynamoDB()`` (and create
the tables once with ``await db.create_table(User)``).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from aiodynamodb import DynamoModel, UpdateAttr, table
from aiodynamodb.testing import mock_dynamodb
from boto3.dynamodb.conditions import Attr, Key


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str
    visits: int = 0
    roles: set[str] = set()


@table("posts", hash_key="user_id", range_key="posted_at")
class Post(DynamoModel):
    user_id: str
    posted_at: datetime
    text: str


def show(step: str, what: object) -> None:
    print(f"{step:<9} {what}")


async def main() -> None:
    async with mock_dynamodb(User, Post) as db:
        low = await db.low_level_client()
        show("tables", ", ".join((await low.list_tables())["TableNames"]))

        alice = User(user_id="u1", name="Alice")
        await db.put(alice, condition_expression=Attr("user_id").not_exists())
        show("put", repr(alice))
        show("get", repr(await db.get(User, hash_key="u1")))
        show("missing", repr(await db.get(User, hash_key="nobody")))

        ex = await db.exceptions()
        try:
            await db.put(
                User(user_id="u1", name="Bob"), condition_expression=Attr("user_id").not_exists()
            )
        except ex.ConditionalCheckFailedException:
            show("refused", "a second user 'u1': ConditionalCheckFailedException, Alice is kept")

        updated = await db.update(
            User,
            hash_key="u1",
            update_expression=[UpdateAttr("visits").add(1), UpdateAttr("roles").add({"admin"})],
            return_values="ALL_NEW",
        )
        show("update", f"visits + 1, roles + {{'admin'}} -> {updated!r}")

        start = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
        posts = [
            Post(user_id="u1", posted_at=start + timedelta(hours=n), text=f"post {n}")
            for n in range(30)
        ]
        await db.batch_write(puts=posts)
        show("batch", f"wrote {len(posts)} posts (BatchWriteItem takes 25 at a time: 2 requests)")

        raw = await low.get_item(
            TableName="posts",
            Key={"user_id": {"S": "u1"}, "posted_at": {"S": "2025-01-01T09:00:00.000000Z"}},
        )
        show("stored", f"{raw['Item']}  (datetimes are UTC text, so they sort)")

        newest = db.query(
            Post,
            key_condition_expression=Key("user_id").eq("u1"),
            scan_index_forward=False,
            limit=3,
        )
        first_page = await anext(newest)
        show("query", f"newest 3: {[p.text for p in first_page.items]}")

        sizes = [
            len(page.items)
            async for page in db.query(
                Post, key_condition_expression=Key("user_id").eq("u1"), limit=10
            )
        ]
        show("pages", f"all posts in pages of 10: {sizes} (the last, empty page ends the query)")

        since = start + timedelta(hours=27)
        recent = await db.query(
            Post, key_condition_expression=Key("user_id").eq("u1") & Key("posted_at").gte(since)
        ).all()
        show("range", f"posted since {since:%H:%M} on day 2: {[p.text for p in recent]}")

        names = await db.scan(User, projection=["name"]).all()
        show("project", f"scan with projection=['name'] gives dicts: {names}")


if __name__ == "__main__":
    asyncio.run(main())
