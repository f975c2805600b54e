"""The queue on Redis, for several workers on several machines. Same contract as SqliteQueue."""

from __future__ import annotations

import time
from collections.abc import Sequence

import redis

from github_app.events import Job
from github_app.queue import DELIVERY_TTL_S, DONE_TTL_S, LEASE_S, MAX_ATTEMPTS, Claimed

SOCKET_TIMEOUT_S = 5.0

# Atomically: a running job whose lease ran out (its worker died), else the oldest ready job. The orphan
# goes first: it has waited longest, and behind a backlog it would otherwise wait for all of it.
_CLAIM = """
local now = tonumber(ARGV[1])
local lease_until = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. now, 'LIMIT', 0, 1)
if #ids == 0 then
  ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
  if #ids == 0 then return nil end
  redis.call('ZREM', KEYS[1], ids[1])
end
local id = ids[1]
local job = KEYS[3] .. id
redis.call('ZADD', KEYS[2], lease_until, id)
local attempts = redis.call('HINCRBY', job, 'attempts', 1)
local claims = redis.call('HINCRBY', job, 'claims', 1)
redis.call('HSET', job, 'state', 'running')
local key = redis.call('HGET', job, 'key')
if key then redis.call('DEL', KEYS[4] .. key) end
return {id, redis.call('HGET', job, 'payload'), attempts, claims}
"""


# Lua shared by accept and enqueue: a pull_request job's push makes this PR's queued jobs for older heads
# superseded (queue.py's contract). `prq` maps each supersedable job id of the PR to its pushed_at.
_SUPERSEDE_FN = """
local function supersede(prefix, pr, pushed_at, key, now, ttl)
  if pr == '' then return 0 end
  local prq = prefix .. ':prq:' .. pr
  local entries = redis.call('HGETALL', prq)
  local n = 0
  for i = 1, #entries, 2 do
    local id, at = entries[i], entries[i + 1]
    local job = prefix .. ':job:' .. id
    local state = redis.call('HGET', job, 'state')
    if not state or state == 'done' or state == 'dead' or state == 'superseded' then
      redis.call('HDEL', prq, id)
    elseif state == 'queued' and at < pushed_at and redis.call('HGET', job, 'key') ~= key then
      redis.call('ZREM', prefix .. ':ready', id)
      redis.call('HSET', job, 'state', 'superseded', 'last_error', 'superseded by a newer push')
      redis.call('EXPIRE', job, ttl)
      redis.call('DEL', prefix .. ':pending:' .. redis.call('HGET', job, 'key'))
      redis.call('HDEL', prq, id)
      n = n + 1
    end
  end
  return n
end
local function remember(prefix, pr, pushed_at, id, ttl)
  if pr == '' then return end
  redis.call('HSET', prefix .. ':prq:' .. pr, id, pushed_at)
  redis.call('EXPIRE', prefix .. ':prq:' .. pr, ttl)
end
"""

# Atomically: remember the delivery and enqueue its jobs, or do neither. -1 for a repeated delivery,
# else one 0/1 per job (1: queued, 0: collapsed into a pending job with the same key).
_ACCEPT = _SUPERSEDE_FN + """
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local prefix = ARGV[2]
local now = tonumber(ARGV[3])
local out = {}
for i = 5, #ARGV, 4 do
  local pending = prefix .. ':pending:' .. ARGV[i]
  if redis.call('EXISTS', pending) == 1 then
    out[#out + 1] = 0
  else
    supersede(prefix, ARGV[i + 2], ARGV[i + 3], ARGV[i], now, tonumber(ARGV[4]))
    local id = redis.call('INCR', prefix .. ':seq')
    redis.call('SET', pending, id, 'EX', ARGV[4])
    redis.call('HSET', prefix .. ':job:' .. id, 'payload', ARGV[i + 1], 'key', ARGV[i], 'state', 'queued',
               'attempts', 0)
    redis.call('ZADD', prefix .. ':ready', now, id)
    remember(prefix, ARGV[i + 2], ARGV[i + 3], id, tonumber(ARGV[4]))
    out[#out + 1] = 1
  end
end
-- Last, so that a failed write above leaves the delivery unknown and a redelivery is accepted.
redis.call('SET', KEYS[1], 1, 'EX', ARGV[1])
return out
"""

# enqueue() outside a delivery (a retry scheduled by hand, the merge queue): the same, one job, with a delay.
_ENQUEUE = _SUPERSEDE_FN + """
local prefix, key, payload, pr, pushed_at = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local at, ttl = tonumber(ARGV[6]), tonumber(ARGV[7])
local pending = prefix .. ':pending:' .. key
if redis.call('EXISTS', pending) == 1 then return 0 end
supersede(prefix, pr, pushed_at, key, at, ttl)
local id = redis.call('INCR', prefix .. ':seq')
redis.call('SET', pending, id, 'EX', ttl)
redis.call('HSET', prefix .. ':job:' .. id, 'payload', payload, 'key', key, 'state', 'queued', 'attempts', 0)
redis.call('ZADD', prefix .. ':ready', at, id)
remember(prefix, pr, pushed_at, id, ttl)
return 1
"""

# The lease is ours while the job is running under the claim number we got.
_RENEW = """
if redis.call('HGET', KEYS[2], 'state') ~= 'running' then return 0 end
if tonumber(redis.call('HGET', KEYS[2], 'claims')) ~= tonumber(ARGV[2]) then return 0 end
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
return 1
"""

_RELEASE = """
if redis.call('HGET', KEYS[2], 'state') ~= 'running' then return 0 end
if tonumber(redis.call('HGET', KEYS[2], 'claims')) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[3])
redis.call('HINCRBY', KEYS[2], 'attempts', -1)
redis.call('HSET', KEYS[2], 'state', 'queued')
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[3])
return 1
"""


def _supersede_args(job: Job) -> tuple[str, str]:
    return (job.pr_key, job.pushed_at) if job.supersedes else ("", "")


class RedisQueue:
    def __init__(self, url: str, *, prefix: str = "prodready", max_attempts: int = MAX_ATTEMPTS) -> None:
        self.r: redis.Redis = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT_S,
                                                        socket_connect_timeout=SOCKET_TIMEOUT_S)
        self.p = prefix
        self.max_attempts = max_attempts
        self._claim = self.r.register_script(_CLAIM)
        self._accept = self.r.register_script(_ACCEPT)
        self._enqueue = self.r.register_script(_ENQUEUE)
        self._renew = self.r.register_script(_RENEW)
        self._release = self.r.register_script(_RELEASE)

    def _k(self, *parts: str) -> str:
        return ":".join((self.p, *parts))

    def remember_delivery(self, delivery_id: str) -> bool:
        return self.accept(delivery_id, []) is not None

    def enqueue(self, job: Job, *, delay_s: float = 0.0) -> bool:
        # The pending marker is what collapses jobs for the same (repo, PR, head).
        return bool(self._enqueue(args=[self.p, job.key, job.to_json(), *_supersede_args(job),
                                        time.time() + delay_s, DONE_TTL_S]))

    def accept(self, delivery_id: str, jobs: Sequence[Job]) -> list[bool] | None:
        args: list[str | float] = [DELIVERY_TTL_S, self.p, time.time(), DONE_TTL_S]
        for job in jobs:
            args += [job.key, job.to_json(), *_supersede_args(job)]
        got = self._accept(keys=[self._k("delivery", delivery_id)], args=args)
        if got == -1:
            return None
        return [bool(x) for x in got]

    def renew(self, claimed: Claimed, *, lease_s: float = LEASE_S) -> bool:
        job_id = str(claimed.id)
        keys = [self._k("running"), self._k("job", job_id)]
        return bool(self._renew(keys=keys, args=[time.time() + lease_s, claimed.claim, job_id]))

    def release(self, claimed: Claimed) -> None:
        job_id = str(claimed.id)
        keys = [self._k("running"), self._k("job", job_id), self._k("ready")]
        self._release(keys=keys, args=[time.time(), claimed.claim, job_id])

    def oldest_age_s(self) -> float:
        now = time.time()
        got = self.r.zrangebyscore(self._k("ready"), "-inf", now, start=0, num=1, withscores=True)
        return max(0.0, now - float(got[0][1])) if got else 0.0

    def claim(self, *, lease_s: float = LEASE_S) -> Claimed | None:
        now = time.time()
        keys = [self._k("ready"), self._k("running"), self._k("job", ""), self._k("pending", "")]
        row = self._claim(keys=keys, args=[now, now + lease_s])
        if not row:
            return None
        job_id, payload, attempts, claim = row
        return Claimed(int(job_id), Job.from_json(payload.decode()), int(attempts), int(claim))

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
