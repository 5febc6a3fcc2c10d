"""Run pymap's in-memory 'dict' backend with several users, then pymap's own main().

pymap's dict backend knows a single --demo-user; this wrapper adds the users named in
IMAP_USERS (default user1..user5) with password IMAP_PASSWORD (default 'pass') before
the server starts. Command-line flags are pymap's own.
"""
import os

from pymap.backend.dict import DictBackend, Identity
from pymap.user import Passwords, UserMetadata

_add_demo_user = DictBackend._add_demo_user.__func__


async def _add_users(cls, config, login):
    await _add_demo_user(cls, config, login)
    password = os.environ.get("IMAP_PASSWORD", "pass")
    hashed = await Passwords(config).hash_password(password)
    for name in os.environ.get("IMAP_USERS", "user1 user2 user3 user4 user5").split():
        await Identity(name, login, None, frozenset()).set(
            UserMetadata(config, name, password=hashed))

DictBackend._add_demo_user = classmethod(_add_users)

if __name__ == "__main__":
    from pymap.main import main
    main()
