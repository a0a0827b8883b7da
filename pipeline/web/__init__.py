"""Web interface: Datasette with our metadata, canned queries, plugin and pages."""
