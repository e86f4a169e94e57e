"""The web workbench: FastAPI routes over the library, server-rendered pages, a JSON API."""

from plainspoken.web.app import create_app

__all__ = ["create_app"]
