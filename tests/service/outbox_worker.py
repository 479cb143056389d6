"""A real client process for test_outbox_faults: act, then drain slowly until killed (or empty).

    outbox_worker.py STORE_PATH COUNT SEED INBOX_IDS slow|fast

Takes COUNT actions (new addresses and inbox answers) on the store at STORE_PATH, printing each
action's id once it is committed, prints ``draining``, drains the outbox through a faulty (and,
with ``slow``, slow) link until it is empty, and prints ``empty``. The backend URL comes from
``SUNSHINE_WORKER_URL`` and the session's tokens from ``SUNSHINE_WORKER_TOKENS`` (JSON): tokens
never go through a file.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.features import OUTBOX_KINDS  # noqa: E402
from services.account.tokens import MemoryTokenStore  # noqa: E402
from services.api import ApiClient, TokenPair  # noqa: E402
from services.client import build_personal_services  # noqa: E402
from services.inbox.kinds import INBOX_ANSWERS  # noqa: E402
from services.sync.sender import DrainStop, RetryPolicy  # noqa: E402
from services.sync.store import LocalStore  # noqa: E402
from tests.fault_transport import FaultTransport  # noqa: E402

POLICY = RetryPolicy(
    attempts=3, wait_initial=0.001, wait_max=0.01, wait_jitter=0.001, timeout=5.0,
    longest_retry_after=0.2, pause_initial=0.0,
)  # fmt: skip
FAULT_RATE = 0.2


class SlowTransport(httpx.HTTPTransport):
    """The real transport, slow: most of the delay comes after the server has acted, which is
    where a kill does the most damage (applied on the server, not yet recorded here)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(0.003)
        response = super().handle_request(request)
        response.read()
        time.sleep(0.03)
        return response


def main() -> None:
    store_path, count, seed, inbox, speed = sys.argv[1:6]
    count, seed = int(count), int(seed)
    inbox_ids = [int(i) for i in inbox.split(",")]
    rng = random.Random(seed)
    link = SlowTransport() if speed == "slow" else httpx.HTTPTransport()
    tokens = MemoryTokenStore()
    tokens.save(TokenPair.model_validate_json(os.environ["SUNSHINE_WORKER_TOKENS"]))
    key = bytes.fromhex(os.environ["SUNSHINE_WORKER_STORE_KEY"])  # as the device's keyring has it
    transport = FaultTransport(FAULT_RATE, rng=random.Random(seed), inner=link)
    api = ApiClient(os.environ["SUNSHINE_WORKER_URL"], timeout=5.0, transport=transport)
    client = build_personal_services(
        api, LocalStore(Path(store_path), key=key), tokens, OUTBOX_KINDS, POLICY
    )

    for n in range(count):
        if rng.random() < 0.6:
            action_id = client.personal.edit_contact({"address": f"进程 {seed} 地址 {n}"})
        else:
            answer = rng.choice(INBOX_ANSWERS)
            action_id = client.personal.reply_inbox(rng.choice(inbox_ids), answer)
        print(action_id, flush=True)
    print("draining", flush=True)
    while True:
        result = client.sender.drain()
        if result.rejected:
            sys.exit(f"rejected: {result}")
        if result.stopped is DrainStop.EMPTY:
            break
        if result.stopped is DrainStop.SIGNED_OUT:
            sys.exit(f"signed out: {result}")
        if result.retry_at is not None:
            time.sleep(max(0.0, min(1.0, result.retry_at - time.time())))
    print("empty", flush=True)
    transport.close()


if __name__ == "__main__":
    main()
