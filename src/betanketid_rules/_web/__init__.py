"""The web service behind ``betanketid-rules serve`` (the ``web`` extra: FastAPI, uvicorn, Jinja2).

A thin layer over the library: the JSON API under ``/api/v1`` and the guided form read the same
tables, sources, vocabulary and question catalogue as :func:`betanketid_rules.evaluate`; nothing
about the law is written here. The service keeps no state between requests and stores or logs
nothing a user enters.
"""

from ._app import create_app

__all__ = ["create_app"]
