"""DynamoDB-compatible servers that the test suite runs against (see ``dynalite``).

``package.json`` and ``package-lock.json`` here pin the npm packages; ``make`` installs them
into ``.dynalite/`` at the repository root (never globally).
"""
