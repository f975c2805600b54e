import os
import psycopg2
import boto3

# ruleid: py-hardcoded-secret-argument
conn = psycopg2.connect(host="db", user="app", password="s7Kp2Qz9Lm4x")
# ruleid: py-hardcoded-secret-argument
s3 = boto3.client("s3", aws_secret_access_key="j9Xk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4J")


# ruleid: py-hardcoded-secret-argument
def connect(user="app", password="Adm1n!2024pw"):
    return psycopg2.connect(user=user, password=password)


# ok: py-hardcoded-secret-argument
conn = psycopg2.connect(host="db", user="app", password=os.environ["PGPASSWORD"])
# ok: py-hardcoded-secret-argument
conn = psycopg2.connect(host="db", user="app", **db_kwargs)
# ok: py-hardcoded-secret-argument
conn = psycopg2.connect(host="db", user="app", password="")
# ok: py-hardcoded-secret-argument
client = Client(api_key="your-api-key-here")
# ok: py-hardcoded-secret-argument
tok = tokenizer(pad_token="[PAD]", cls_token="[CLS]0001")
# ok: py-hardcoded-secret-argument
form = LoginForm(password="xxxxxxxx1")


# ok: py-hardcoded-secret-argument
def login(user, password=None, token=""):
    pass
