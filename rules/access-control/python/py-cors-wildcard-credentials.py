from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask
from flask_cors import CORS

app = FastAPI()
# ruleid: py-cors-wildcard-credentials
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])

flask_app = Flask(__name__)
# ruleid: py-cors-wildcard-credentials
CORS(flask_app, supports_credentials=True)

# ruleid: py-cors-wildcard-credentials
CORS(flask_app, origins="*", supports_credentials=True)

# ok: py-cors-wildcard-credentials
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)

# ok: py-cors-wildcard-credentials
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])

# ok: py-cors-wildcard-credentials
CORS(flask_app, origins=["https://app.example.com"], supports_credentials=True)
