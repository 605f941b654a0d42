"""Prototypes of client-side savings, applied by monkeypatching in the benchmark process only.

The ORM's codec already guarantees the shape of every request it builds and reads every
AttributeValue of every response itself, so three pieces of botocore's per-call work are
redundant for the ORM's own requests:

1. **Parameter validation** (``botocore.validate.ParamValidationDecorator``) walks every
   parameter against the operation's input shape. ``DynamoDB`` turns it off
   (``Config(parameter_validation=False)``) and skips its own rules check on requests the
   codec built entirely: shipped, nothing to prototype.
2. **Request serialization** (``botocore.serialize.JSONSerializer``) walks the parameters
   against the input shape again, only to copy them, before ``json.dumps``. Shipped as
   :mod:`aiodynamodb.client._wire` (one ``json.dumps`` with base64 for bytes).
3. **Response parsing** (``botocore.parsers.JSONParser``): after ``json.loads`` it walks the
   result against the output shape to copy it and turn blobs into bytes. Shipped as
   ``aiodynamodb.client._wire``'s item response parser, which keeps the ``json.loads`` result and
   walks it to decode ``B``/``BS`` values only when the body holds any. :func:`fast_parsing`
   here never walks (right only for items without binary values, as the benchmark's are), so
   the difference between the two is what the shipped parser's walk still costs.

Nothing here is imported by aiodynamodb; the benchmark applies it to an ORM client only.
"""

from __future__ import annotations

from typing import Any

from aiobotocore.parsers import PROTOCOL_PARSERS, AioResponseParserFactory

_JSONParser: Any = PROTOCOL_PARSERS["json"]


class ShapelessJSONParser(_JSONParser):  # type: ignore[misc]
    """botocore's JSON parser, minus the walk over the output shape on success."""

    def _handle_json_body(self, raw_body: bytes, shape: Any) -> Any:
        return self._parse_body_as_json(raw_body)

    def _do_parse(self, response: dict[str, Any], shape: Any) -> Any:
        parsed = self._parse_body_as_json(response["body"]) if shape is not None else {}
        self._inject_response_metadata(parsed, response["headers"])
        return parsed


class ShapelessParserFactory(AioResponseParserFactory):  # type: ignore[misc]
    """Hands out :class:`ShapelessJSONParser` for the ``json`` protocol."""

    def create_parser(self, protocol_name: str) -> Any:
        if protocol_name == "json":
            return ShapelessJSONParser(**self._defaults)
        return super().create_parser(protocol_name)


def fast_parsing(client: Any) -> None:
    """Parse ``client``'s successful responses with :class:`ShapelessJSONParser`."""
    client._endpoint._response_parser_factory = ShapelessParserFactory()


__all__ = ["ShapelessJSONParser", "ShapelessParserFactory", "fast_parsing"]
