"""What the orders service does, on top of the models in :mod:`orders.models`.

Every function takes an optional ``db``. Without one it opens its own ``DynamoDB()``,
configured by the environment (credentials, region, ``AWS_ENDPOINT_URL_DYNAMODB``,
``AIODYNAMODB_TABLE_PREFIX``), as a request handler or a script would; the tests call them
both ways. A long-running service would open one client at start-up and pass it in.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from aiodynamodb import (
    CancellationReason,
    ConditionCheck,
    DynamoDB,
    ItemKey,
    Put,
    Update,
    UpdateAttr,
)
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from orders.models import Customer, Order, OrderLine, Product, Status

# Signs the listing cursors (HMAC-SHA256). A real service loads it from its secrets; every
# instance must use the same one, or a cursor from one is refused by another.
CURSOR_KEY = os.environ.get("ORDERS_CURSOR_KEY", "dev only, not a secret").encode()


class OrdersError(Exception):
    """Something the caller asked for cannot be done; the message says why."""


class CustomerExists(OrdersError):
    """A customer with this id is already registered."""


class UnknownCustomer(OrdersError):
    """No customer has this id."""


class UnknownProduct(OrdersError):
    """An order names a product that is not in the catalogue."""


class DuplicateOrder(OrdersError):
    """This customer already has an order with this id."""


class OutOfStock(OrdersError):
    """Not enough stock for one line of an order.

    Attributes:
        sku: The product.
        requested: The quantity the order asked for.
        left: The stock when the order was refused.
    """

    def __init__(self, sku: str, requested: int, left: int) -> None:
        super().__init__(f"{sku}: {requested} requested, {left} left")
        self.sku = sku
        self.requested = requested
        self.left = left


class NotShippable(OrdersError):
    """The order does not exist or has already shipped."""


@asynccontextmanager
async def _client(db: DynamoDB | None) -> AsyncIterator[DynamoDB]:
    """The caller's client, or a client of our own for the duration of one call."""
    if db is not None:
        yield db
        return
    async with DynamoDB() as own:
        yield own


async def register_customer(customer: Customer, *, db: DynamoDB | None = None) -> None:
    """Store a new customer; refuse an id that is taken (a conditional put).

    Raises:
        CustomerExists: The id is already registered (the stored customer is unchanged).
    """
    async with _client(db) as db:
        ex = await db.exceptions()
        try:
            await db.put(customer, condition_expression=Attr("customer_id").not_exists())
        except ex.ConditionalCheckFailedException:
            raise CustomerExists(f"customer {customer.customer_id!r} already exists") from None


async def import_products(products: Iterable[Product], *, db: DynamoDB | None = None) -> int:
    """Write a whole catalogue at once; returns how many products were written.

    ``batch_write`` sends 25 items per request and retries whatever DynamoDB leaves
    unprocessed; if some items still are after every retry it raises
    ``aiodynamodb.BatchWriteError`` listing exactly those, so nothing is lost silently.
    """
    items = list(products)
    async with _client(db) as db:
        await db.batch_write(puts=items)
    return len(items)


async def place_order(
    customer_id: str,
    order_id: str,
    quantities: Mapping[str, int],
    *,
    now: datetime | None = None,
    db: DynamoDB | None = None,
) -> Order:
    """Place an order and take its items out of stock, all or nothing (a transaction).

    The transaction puts the order (unless the customer already has one with this id),
    checks that the customer exists, and decrements each product's stock under the
    condition that enough is left. If any of these fails, nothing is written.

    Args:
        customer_id: Who orders.
        order_id: The caller's id for the order; placing the same id twice is refused, so
            a retried request cannot order twice.
        quantities: SKU -> quantity (at least 1 each).
        now: The order's time (defaults to the current UTC time).
        db: A client to use instead of opening one.

    Raises:
        UnknownProduct, UnknownCustomer, DuplicateOrder, OutOfStock: see their docstrings.
    """
    if not quantities or any(quantity < 1 for quantity in quantities.values()):
        raise ValueError(f"an order needs at least one line, each quantity >= 1: {quantities}")
    async with _client(db) as db:
        products = {
            product.sku: product
            for product in await db.batch_get([ItemKey(Product, sku) for sku in quantities])
        }
        missing = sorted(set(quantities) - set(products))
        if missing:
            raise UnknownProduct(f"not in the catalogue: {', '.join(missing)}")
        lines = [
            OrderLine(sku=sku, quantity=quantity, unit_price=products[sku].price)
            for sku, quantity in quantities.items()
        ]
        order = Order(
            customer_id=customer_id,
            order_id=order_id,
            status=Status.PLACED,
            created_at=now or datetime.now(UTC),
            lines=lines,
            total=sum((line.unit_price * line.quantity for line in lines), start=Decimal(0)),
        )
        ex = await db.exceptions()
        try:
            await db.transact_write(
                Put(order, condition_expression=Attr("order_id").not_exists()),
                ConditionCheck(
                    Customer,
                    hash_key=customer_id,
                    condition_expression=Attr("customer_id").exists(),
                ),
                *(
                    Update(
                        Product,
                        hash_key=line.sku,
                        update_expression=[UpdateAttr("stock").add(-line.quantity)],
                        condition_expression=Attr("stock").gte(line.quantity),
                        # On failure DynamoDB returns the product as it was: how much is left.
                        return_values_on_condition_check_failure="ALL_OLD",
                    )
                    for line in lines
                ),
            )
        except ex.TransactionCanceledException as error:
            raise _refusal(error, quantities) from error
    return order


def _refusal(error: ClientError, quantities: Mapping[str, int]) -> Exception:
    """Turn a cancelled transaction into the service's own error, from its reasons."""
    # aiodynamodb attaches `reasons` to botocore's exception: one per action, in order.
    reasons: list[CancellationReason] = getattr(error, "reasons", [])
    for reason in reasons:
        if reason.code != "ConditionalCheckFailed":
            continue
        action = reason.action
        if isinstance(action, Put):
            return DuplicateOrder(f"order {action.item.order_id!r} was already placed")
        if isinstance(action, ConditionCheck):
            return UnknownCustomer(f"no customer {action.hash_key!r}")
        if isinstance(action, Update):
            left = reason.item.stock if isinstance(reason.item, Product) else 0
            return OutOfStock(action.hash_key, quantities[action.hash_key], left)
    return error  # e.g. a TransactionConflict: not ours to interpret


async def ship_order(
    customer_id: str,
    order_id: str,
    *,
    now: datetime | None = None,
    db: DynamoDB | None = None,
) -> Order:
    """Mark a placed order as shipped (a conditional update); returns the updated order.

    Raises:
        NotShippable: There is no such order, or it has shipped already.
    """
    async with _client(db) as db:
        ex = await db.exceptions()
        try:
            order: Order = await db.update(
                Order,
                hash_key=customer_id,
                range_key=order_id,
                update_expression=[
                    UpdateAttr("status").set(Status.SHIPPED),
                    UpdateAttr("shipped_at").set(now or datetime.now(UTC)),
                ],
                condition_expression=Attr("status").eq(Status.PLACED),
                return_values="ALL_NEW",
            )
        except ex.ConditionalCheckFailedException:
            raise NotShippable(f"order {customer_id}/{order_id} is not waiting to ship") from None
    return order


@dataclass(frozen=True)
class OrdersPage:
    """One page of a listing.

    Attributes:
        orders: The page's orders (at most the ``limit`` asked for; possibly none).
        cursor: Pass it back to get the next page; ``None`` when there is no more.
    """

    orders: list[Order]
    cursor: str | None


async def orders_by_status(
    status: Status,
    *,
    limit: int = 20,
    cursor: str | None = None,
    db: DynamoDB | None = None,
) -> OrdersPage:
    """One page of the orders with ``status``, oldest first (the ``by_status`` index).

    The cursor is the page's (DynamoDB's ``LastEvaluatedKey``, opaque and signed with
    :data:`CURSOR_KEY`, so a caller cannot forge one). As in
    DynamoDB, a page that ends exactly on the last order still has a cursor; the page after
    it is empty with no cursor.
    """
    async with _client(db) as db:
        pages = db.query(
            Order,
            index_name="by_status",
            key_condition_expression=Key("status").eq(status),
            limit=limit,
            after=cursor,
            cursor_key=CURSOR_KEY,
        )
        page = await anext(pages)
    return OrdersPage(orders=page.items, cursor=page.cursor)


async def customer_orders(customer_id: str, *, db: DynamoDB | None = None) -> list[Order]:
    """Every order of one customer, highest order id first (one query on the table key)."""
    async with _client(db) as db:
        return await db.query(
            Order,
            key_condition_expression=Key("customer_id").eq(customer_id),
            scan_index_forward=False,
        ).all()
