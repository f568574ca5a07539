"""The site's settings for the test suite and the servers it starts.

Only the password hasher differs: hashing strength is not under test, and PBKDF2 costs
about a second per user on a busy machine. Servers started by the tests use this module
too, so they accept the passwords the tests stored.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
