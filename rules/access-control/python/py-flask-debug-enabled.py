import os

from flask import Flask

app = Flask(__name__)
# ruleid: py-flask-debug-enabled
app.config["DEBUG"] = True


@app.get("/health")
def health():
    return "ok"



def configure(flask_app):
    # ruleid: py-flask-debug-enabled
    flask_app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        DEBUG=True,
    )
    # ruleid: py-flask-debug-enabled
    flask_app.debug = True

def ok_env():
    # ok: py-flask-debug-enabled
    app.run(host="0.0.0.0", debug=os.environ.get("FLASK_DEBUG") == "1")


def ok_off():
    # ok: py-flask-debug-enabled
    app.run(host="0.0.0.0", port=8080, debug=False)


if __name__ == "__main__":
    # ruleid: py-flask-debug-enabled
    app.run(host="0.0.0.0", debug=True)
