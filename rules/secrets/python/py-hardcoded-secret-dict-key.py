import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        # ruleid: py-hardcoded-secret-dict-key
        "PASSWORD": "pg-Pr0d-2024!x",
    }
}
# ruleid: py-hardcoded-secret-dict-key
headers = {"X-Api-Key": "4f7d1c0e9b8a76543210fedcba987654"}
config = {}
# ruleid: py-hardcoded-secret-dict-key
config["client_secret"] = "Gx7hQ2mR9vK4pL8z"

# ok: py-hardcoded-secret-dict-key
creds = {"password": os.environ["DB_PASSWORD"]}
# ok: py-hardcoded-secret-dict-key
creds = {"password": "password"}
# ok: py-hardcoded-secret-dict-key
creds = {"password": "***"}
# ok: py-hardcoded-secret-dict-key
creds = {"api_key": "YOUR_API_KEY"}
# ok: py-hardcoded-secret-dict-key
payload = {"grant_type": "password", "token_type": "bearer0123"}
# ok: py-hardcoded-secret-dict-key
creds = {"password": "%(password)s"}
