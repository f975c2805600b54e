"""Payments service: charges go through the processor's HTTP API."""

import logging
import os

import requests

log = logging.getLogger(__name__)
PROCESSOR_URL = os.environ["PROCESSOR_URL"]
PROCESSOR_KEY = os.environ["PROCESSOR_KEY"]
TIMEOUT = (3.05, 20)


def charge(customer_id: str, amount_cents: int) -> dict:
    resp = requests.post(
        f"{PROCESSOR_URL}/charges",
        json={"customer": customer_id, "amount": amount_cents},
        headers={"Authorization": f"Bearer {PROCESSOR_KEY}"},
        timeout=TIMEOUT,
    )
    resp.raise_for_status()
    return resp.json()
