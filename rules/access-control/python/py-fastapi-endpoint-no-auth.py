from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Security

app = FastAPI()
admin = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])
CurrentUser = Annotated[User, Depends(get_current_user)]


# ruleid: py-fastapi-endpoint-no-auth
@app.post("/orders/{order_id}/refund")
async def refund_order(order_id: int, body: RefundIn):
    return await refund(order_id, body.amount)


# ruleid: py-fastapi-endpoint-no-auth
@app.delete("/users/{user_id}")
def delete_user(user_id: int):
    return remove_user(user_id)


# ok: py-fastapi-endpoint-no-auth
@app.post("/orders")
async def create_order(body: OrderIn, user: User = Depends(get_current_user)):
    return await create(body, user)


# ok: py-fastapi-endpoint-no-auth
@app.delete("/items/{item_id}", dependencies=[Depends(verify_api_key)])
def delete_item(item_id: int):
    return remove_item(item_id)


# ok: py-fastapi-endpoint-no-auth
@app.put("/profile")
def update_profile(body: ProfileIn, user: CurrentUser):
    return save_profile(user, body)


# ok: py-fastapi-endpoint-no-auth
@app.post("/token")
def token(form: OAuth2PasswordRequestForm = Depends()):
    return issue_token(form)


# ok: py-fastapi-endpoint-no-auth
@app.get("/orders")
def list_orders():
    return list_public_orders()


# ok: py-fastapi-endpoint-no-auth
@admin.post("/purge")
def purge():
    return do_purge()
