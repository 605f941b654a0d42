"""A small orders service on aiodynamodb: customers, a product catalogue with stock, orders.

- :mod:`orders.models`: the three tables, and the ``by_status`` index on orders.
- :mod:`orders.service`: what the application does with them. Every function takes an
  optional ``db``; without one it builds its own ``DynamoDB()`` from the environment, as
  code in a real service would.
"""
