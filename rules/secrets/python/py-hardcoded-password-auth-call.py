import os
import smtplib
import requests
from requests.auth import HTTPBasicAuth

server = smtplib.SMTP("smtp.example.com", 587)
# ruleid: py-hardcoded-password-auth-call
server.login("alerts@example.com", "m4ilP4ss-2024")
# ruleid: py-hardcoded-password-auth-call
r = requests.get("https://api.example.com", auth=("svc", "S3rv1ce!Pw"), timeout=5)
# ruleid: py-hardcoded-password-auth-call
auth = HTTPBasicAuth("svc", "B4sic-Aut4-Pw")

# ok: py-hardcoded-password-auth-call
server.login("alerts@example.com", os.environ["SMTP_PASSWORD"])
# ok: py-hardcoded-password-auth-call
r = requests.get("https://api.example.com", auth=("svc", password), timeout=5)
# ok: py-hardcoded-password-auth-call
auth = HTTPBasicAuth("user", "pass")
# ok: py-hardcoded-password-auth-call
auth = HTTPBasicAuth("user", "<password>")
