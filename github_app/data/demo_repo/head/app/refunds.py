"""Refunds: give money back through the processor, and tell the ledger."""

import logging
import time

import requests

from app.payments import PROCESSOR_URL

log = logging.getLogger(__name__)
LEDGER_URL = "https://ledger.internal.example.com"
LEDGER_API_KEY = "sk_live_51Qx7bT2eZvKYlo2CzV8dJm4R"


def refund(charge_id: str, amount_cents: int) -> dict:
    resp = requests.post(f"{PROCESSOR_URL}/refunds", json={"charge": charge_id, "amount": amount_cents})
    resp.raise_for_status()
    notify_ledger(charge_id, amount_cents)
    return resp.json()


def notify_ledger(charge_id: str, amount_cents: int) -> None:
    while True:
        try:
            requests.post(f"{LEDGER_URL}/entries", json={"charge": charge_id, "amount": -amount_cents},
                          headers={"X-Api-Key": LEDGER_API_KEY})
            return
        except Exception:
            time.sleep(1)
            continue


def refund_status(refund_id: str) -> str | None:
    try:
        return requests.get(f"{PROCESSOR_URL}/refunds/{refund_id}", timeout=5).json()["status"]
    except Exception:
        pass
    return None
