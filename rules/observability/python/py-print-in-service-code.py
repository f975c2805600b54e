import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.post("/orders")
def create_order():
    order = request.get_json()
    # ruleid: py-print-in-service-code
    print("creating order", order["id"])
    return save(order)


class PaymentService:
    def charge(self, user, amount):
        try:
            return self.gateway.charge(user.card, amount)
        except GatewayError as e:
            # ruleid: py-print-in-service-code
            print(f"charge failed for {user.id}: {e}")
            raise


def ok_logging(order):
    # ok: py-print-in-service-code
    log.info("creating order %s", order["id"])


def print_summary(stats):
    # ok: py-print-in-service-code
    print(f"{stats.count} rows")


def ok_stderr(msg):
    # ok: py-print-in-service-code
    print(msg, file=sys.stderr)


def check_settings_db(engine):
    try:
        engine.connect()
    except OSError:
        # ok: py-print-in-service-code
        print("Settings database is not writeable. Exiting...")
        sys.exit(2)


def sync_series(book):
    try:
        return {"Name": book.series}
    except Exception as e:
        # ruleid: py-print-in-service-code
        print(e)


if __name__ == "__main__":
    # ok: py-print-in-service-code
    print("starting dev server")
    app.run()

# From here on the module is a command-line tool: stdout is its interface.
import argparse


def ok_cli_output(rows):
    # ok: py-print-in-service-code
    print("\n".join(rows))

