"""Integration tests use the plugin's ``dynamodb`` fixture, so the same files run on the
memory, server and endpoint backends (``--dynamodb-backend=...``)."""
