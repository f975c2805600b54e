"""The queue on Redis, for several workers on several machines. Same contract as SqliteQueue."""

from __future__ import annotations

import time

import redis

from github_app.events import Job
from github_app.queue import DELIVERY_TTL_S, DONE_TTL_S, LEASE_S, MAX_ATTEMPTS, Claimed

SOCKET_TIMEOUT_S = 5.0

# Atomically: the oldest ready job, else a running job whose lease ran out (its worker died).
_CLAIM = """
local now = tonumber(ARGV[1])
local lease_until = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
if #ids == 0 then
  ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. now, 'LIMIT', 0, 1)
  if #ids == 0 then return nil end
else
  redis.call('ZREM', KEYS[1], ids[1])
end
local id = ids[1]
local job = KEYS[3] .. id
redis.call('ZADD', KEYS[2], lease_until, id)
local attempts = redis.call('HINCRBY', job, 'attempts', 1)
redis.call('HSET', job, 'state', 'running')
local key = redis.call('HGET', job, 'key')
if key then redis.call('DEL', KEYS[4] .. key) end
return {id, redis.call('HGET', job, 'payload'), attempts}
"""


class RedisQueue:
    def __init__(self, url: str, *, prefix: str = "prodready", max_attempts: int = MAX_ATTEMPTS) -> None:
        self.r: redis.Redis = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT_S,
                                                        socket_connect_timeout=SOCKET_TIMEOUT_S)
        self.p = prefix
        self.max_attempts = max_attempts
        self._claim = self.r.register_script(_CLAIM)

    def _k(self, *parts: str) -> str:
        return ":".join((self.p, *parts))

    def remember_delivery(self, delivery_id: str) -> bool:
        return bool(self.r.set(self._k("delivery", delivery_id), 1, nx=True, ex=DELIVERY_TTL_S))

    def enqueue(self, job: Job, *, delay_s: float = 0.0) -> bool:
        job_id = str(self.r.incr(self._k("seq")))
        # The pending marker is what collapses jobs for the same (repo, PR, head).
        if not self.r.set(self._k("pending", job.key), job_id, nx=True, ex=DONE_TTL_S):
            return False
        pipe = self.r.pipeline()
        pipe.hset(self._k("job", job_id), mapping={"payload": job.to_json(), "key": job.key, "state": "queued",
                                                   "attempts": 0})
        pipe.zadd(self._k("ready"), {job_id: time.time() + delay_s})
        pipe.execute()
        return True

    def claim(self, *, lease_s: float = LEASE_S) -> Claimed | None:
        now = time.time()
        keys = [self._k("ready"), self._k("running"), self._k("job", ""), self._k("pending", "")]
        row = self._claim(keys=keys, args=[now, now + lease_s])
        if not row:
            return None
        job_id, payload, attempts = row
        return Claimed(int(job_id), Job.from_json(payload.decode()), int(attempts))

    def complete(self, job_id: int) -> None:
        pipe = self.r.pipeline()
        pipe.zrem(self._k("running"), str(job_id))
        pipe.hset(self._k("job", str(job_id)), "state", "done")
        pipe.expire(self._k("job", str(job_id)), DONE_TTL_S)
        pipe.execute()

    def retry(self, job_id: int, *, delay_s: float, error: str) -> bool:
        key = self._k("job", str(job_id))
        attempts = int(self.r.hget(key, "attempts") or 0)
        alive = attempts < self.max_attempts
        pipe = self.r.pipeline()
        pipe.zrem(self._k("running"), str(job_id))
        pipe.hset(key, mapping={"state": "queued" if alive else "dead", "last_error": error[:500]})
        if alive:
            pipe.zadd(self._k("ready"), {str(job_id): time.time() + delay_s})
        else:
            pipe.expire(key, DONE_TTL_S)
        pipe.execute()
        return alive

    def fail(self, job_id: int, *, error: str) -> None:
        key = self._k("job", str(job_id))
        pipe = self.r.pipeline()
        pipe.zrem(self._k("running"), str(job_id))
        pipe.hset(key, mapping={"state": "dead", "last_error": error[:500]})
        pipe.expire(key, DONE_TTL_S)
        pipe.execute()

    def ping(self) -> bool:
        try:
            return bool(self.r.ping())
        except redis.RedisError:
            return False

    def counts(self) -> dict[str, int]:
        return {"queued": int(self.r.zcard(self._k("ready"))), "running": int(self.r.zcard(self._k("running")))}
