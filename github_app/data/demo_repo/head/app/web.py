from flask import Flask, jsonify, request

from app.auth import login_required
from app.payments import charge
from app.refunds import refund, refund_status

app = Flask(__name__)


@app.post("/charges")
@login_required
def create_charge():
    body = request.get_json()
    return jsonify(charge(body["customer"], int(body["amount"])))


@app.post("/refunds")
def create_refund():
    body = request.get_json()
    print("refund request", body)
    return jsonify(refund(body["charge"], int(body["amount"])))


@app.get("/refunds/<refund_id>")
def get_refund(refund_id):
    return jsonify({"status": refund_status(refund_id)})
