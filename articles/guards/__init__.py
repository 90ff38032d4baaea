"""The guards every request and response pass through (docs/operations.md, "Guards").

Middleware, listed in settings.MIDDLEWARE: the project package keeps only
settings, URLs and the health check.
"""
