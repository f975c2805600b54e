from flask import Blueprint, Flask, request
from flask_login import login_required
from flask_jwt_extended import jwt_required

app = Flask(__name__)


# ruleid: py-flask-route-no-auth
@app.post("/orders/<int:order_id>/refund")
def refund_order(order_id):
    return refund(order_id, request.json["amount"])


# ruleid: py-flask-route-no-auth
@app.route("/users/<int:user_id>", methods=["DELETE"])
def delete_user(user_id):
    return remove_user(user_id)


# ok: py-flask-route-no-auth
@app.post("/orders/<int:order_id>/cancel")
@login_required
def cancel_order(order_id):
    return cancel(order_id)


# ok: py-flask-route-no-auth
@app.delete("/items/<int:item_id>")
@jwt_required()
def delete_item(item_id):
    return remove_item(item_id)


# ok: py-flask-route-no-auth
@app.post("/login")
def login():
    return do_login(request.form)


# ok: py-flask-route-no-auth
@app.get("/orders")
def list_orders():
    return list_public_orders()


# ok: py-flask-route-no-auth
@app.post("/admin/purge")
@requires_admin_role
def purge():
    return do_purge()



# ok: py-flask-route-no-auth
@app.route("/authenticate", methods=["GET", "POST"])
def authenticate(project_id=None):
    return check_project_code(request.form)
