"""The workbench's routes, one module per noun; each has its pages and its JSON API."""

from fastapi import APIRouter

from plainspoken.web.routes import (
    admin,
    auth,
    authenticity,
    community,
    copy,
    documents,
    influencers,
    jobs,
    meta,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    copy.router,
    documents.router,
    community.router,
    authenticity.router,
    influencers.router,
    jobs.router,
    admin.router,
    meta.router,
)
