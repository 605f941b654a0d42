"""pytest plugin for aiodynamodb: the ``dynamodb`` fixture and the ``dynamodb_tables`` marker."""
