"""App state: accounts, saved documents and their check history, jobs, workbench settings.

SQLAlchemy over SQLite (a file in the workspace, the default) or PostgreSQL
(``database_url``), with the schema made and changed by Alembic migrations shipped in the
package. ``open_store`` migrates on open.
"""

from plainspoken.store.database import Store, database_url, open_store, revision, upgrade
from plainspoken.store.documents import CheckInfo, DocumentInfo
from plainspoken.store.jobs import JobInfo
from plainspoken.store.models import ROLES
from plainspoken.store.users import LoginFailedError, ThrottledError, UserInfo

__all__ = [
    "ROLES",
    "CheckInfo",
    "DocumentInfo",
    "JobInfo",
    "LoginFailedError",
    "Store",
    "ThrottledError",
    "UserInfo",
    "database_url",
    "open_store",
    "revision",
    "upgrade",
]
