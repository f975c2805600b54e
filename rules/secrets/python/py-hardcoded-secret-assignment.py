import os
from typing import Final

# ruleid: py-hardcoded-secret-assignment
DB_PASSWORD = "Tr0ub4dor-and-3"
# ruleid: py-hardcoded-secret-assignment
SECRET_KEY = "k9#2x$%a!0m8n^v7b6&c5z4@q3w1e"
# ruleid: py-hardcoded-secret-assignment
api_token: Final = "a8f5f167f44f4964e6c998dee827110c"


class Client:
    def __init__(self):
        # ruleid: py-hardcoded-secret-assignment
        self.clientSecret = "Zx81Lq0pWm29KsTq"
        # ok: py-hardcoded-secret-assignment
        self.api_key = os.environ["API_KEY"]


# ok: py-hardcoded-secret-assignment
DB_PASSWORD = os.environ.get("DB_PASSWORD", "")
# ok: py-hardcoded-secret-assignment
PASSWORD = "changeme"
# ok: py-hardcoded-secret-assignment
API_KEY = "<your-api-key>"
# ok: py-hardcoded-secret-assignment
API_KEY = "${API_KEY}"
# ok: py-hardcoded-secret-assignment
API_KEY = "OPENAI_API_KEY"
# ok: py-hardcoded-secret-assignment
token = ""
# ok: py-hardcoded-secret-assignment
pad_token = "<pad>"
# ok: py-hardcoded-secret-assignment
next_page_token = "CAEQAhoNMjAyNDAxMDEwMDAwMA"
# ok: py-hardcoded-secret-assignment
password_hash = "pbkdf2_sha256$600000$abc$def"
# ok: py-hardcoded-secret-assignment
password = "pbkdf2_sha256$600000$salt$hash0123"
# ok: py-hardcoded-secret-assignment
TOKEN_URL = "https://oauth2.googleapis.com/token"
# ok: py-hardcoded-secret-assignment
grant_type_token = "client_credentials"
# ok: py-hardcoded-secret-assignment
secret_file = "/run/secrets/db_password"
# ok: py-hardcoded-secret-assignment
SECRET_KEY = f"{PREFIX}-0123456789abcdef"
# ok: py-hardcoded-secret-assignment
test_password = "Tr0ub4dor-and-3"
# ok: py-hardcoded-secret-assignment
token = r"[-!#$%&'*+.^_`|~0-9a-zA-Z]+"
# ok: py-hardcoded-secret-assignment
secret = b"\xd1\x91\xd1\x91"
