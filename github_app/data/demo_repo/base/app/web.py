from flask import Flask, jsonify, request

from app.auth import login_required
from app.payments import charge

app = Flask(__name__)


@app.post("/charges")
@login_required
def create_charge():
    body = request.get_json()
    return jsonify(charge(body["customer"], int(body["amount"])))
