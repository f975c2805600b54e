"""The queue on Redis, for several workers on several machines. Same contract as SqliteQueue."""

from __future__ import annotations

import time
from collections.abc import Sequence

import redis

from github_app.events import Job
from github_app.queue import (
    DEFAULT_BUDGET,
    DELIVERY_TTL_S,
    DONE_TTL_S,
    LEASE_S,
    MAX_ATTEMPTS,
    MAX_JOBS_PER_INSTALLATION,
    Budget,
    Claimed,
)

SOCKET_TIMEOUT_S = 5.0

# Atomically: a running job whose lease ran out (its worker died) goes first, whatever its installation's
# cap and budget: it has waited longest. Else round-robin: the installations with ready jobs in the order of their last
# turn (`insts`), skipping one at its cap of running jobs (`running:<inst>`, scored by lease) or over its
# budget of claims a minute and an hour (`claimed:<inst>`, queue.Budget), the oldest
# ready job of the first that has one. A job queued before installations were tracked sits in `ready` only.
_CLAIM = """
local now = tonumber(ARGV[1])
local lease_until = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local p = ARGV[4]
local per_minute, per_hour = tonumber(ARGV[5]), tonumber(ARGV[6])
local id
local ids = redis.call('ZRANGEBYSCORE', p .. ':running', '-inf', '(' .. now, 'LIMIT', 0, 1)
if #ids > 0 then
  id = ids[1]
else
  for _, inst in ipairs(redis.call('ZRANGE', p .. ':insts', 0, -1)) do
    local ready = p .. ':ready:' .. inst
    local log = p .. ':claimed:' .. inst
    redis.call('ZREMRANGEBYSCORE', log, '-inf', now - 3600)
    if redis.call('ZCOUNT', p .. ':running:' .. inst, now, '+inf') < cap
        and redis.call('ZCOUNT', log, '(' .. (now - 60), '+inf') < per_minute
        and redis.call('ZCARD', log) < per_hour then
      local got = redis.call('ZRANGEBYSCORE', ready, '-inf', now, 'LIMIT', 0, 1)
      if #got > 0 then
        id = got[1]
        redis.call('ZREM', ready, id)
        redis.call('ZADD', p .. ':insts', now, inst)
        break
      end
    end
    if redis.call('ZCARD', ready) == 0 then redis.call('ZREM', p .. ':insts', inst) end
  end
  if not id then
    local legacy = redis.call('ZRANGEBYSCORE', p .. ':ready', '-inf', now, 'LIMIT', 0, 1)
    if #legacy == 0 or redis.call('HEXISTS', p .. ':job:' .. legacy[1], 'inst') == 1 then return nil end
    id = legacy[1]
  end
  redis.call('ZREM', p .. ':ready', id)
end
local job = p .. ':job:' .. id
local inst = redis.call('HGET', job, 'inst')
redis.call('ZADD', p .. ':running', lease_until, id)
if inst then redis.call('ZADD', p .. ':running:' .. inst, lease_until, id) end
local attempts = redis.call('HINCRBY', job, 'attempts', 1)
local claims = redis.call('HINCRBY', job, 'claims', 1)
if inst then
  redis.call('ZADD', p .. ':claimed:' .. inst, now, id .. ':' .. claims)
  redis.call('EXPIRE', p .. ':claimed:' .. inst, 3600)
end
redis.call('HSET', job, 'state', 'running')
local key = redis.call('HGET', job, 'key')
if key then redis.call('DEL', p .. ':pending:' .. key) end
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
      redis.call('ZREM', prefix .. ':ready:' .. (redis.call('HGET', job, 'inst') or ''), id)
      redis.call('HSET', job, 'state', 'superseded', 'last_error', 'superseded by a newer push')
      redis.call('EXPIRE', job, ttl)
      redis.call('DEL', prefix .. ':pending:' .. redis.call('HGET', job, 'key'))
      redis.call('HDEL', prq, id)
      n = n + 1
    end
  end
  return n
end
local function ready(prefix, inst, id, at)
  redis.call('ZADD', prefix .. ':ready', at, id)
  redis.call('ZADD', prefix .. ':ready:' .. inst, at, id)
  redis.call('ZADD', prefix .. ':insts', 'NX', 0, inst)
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
for i = 5, #ARGV, 5 do
  local pending = prefix .. ':pending:' .. ARGV[i]
  if redis.call('EXISTS', pending) == 1 then
    out[#out + 1] = 0
  else
    supersede(prefix, ARGV[i + 2], ARGV[i + 3], ARGV[i], now, tonumber(ARGV[4]))
    local id = redis.call('INCR', prefix .. ':seq')
    redis.call('SET', pending, id, 'EX', ARGV[4])
    redis.call('HSET', prefix .. ':job:' .. id, 'payload', ARGV[i + 1], 'key', ARGV[i], 'state', 'queued',
               'attempts', 0, 'inst', ARGV[i + 4])
    ready(prefix, ARGV[i + 4], id, now)
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
local at, ttl, inst = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
local pending = prefix .. ':pending:' .. key
if redis.call('EXISTS', pending) == 1 then return 0 end
supersede(prefix, pr, pushed_at, key, at, ttl)
local id = redis.call('INCR', prefix .. ':seq')
redis.call('SET', pending, id, 'EX', ttl)
redis.call('HSET', prefix .. ':job:' .. id, 'payload', payload, 'key', key, 'state', 'queued', 'attempts', 0,
           'inst', inst)
ready(prefix, inst, id, at)
remember(prefix, pr, pushed_at, id, ttl)
return 1
"""

# The lease is ours while the job is running under the claim number we got.
_RENEW = """
if redis.call('HGET', KEYS[2], 'state') ~= 'running' then return 0 end
if tonumber(redis.call('HGET', KEYS[2], 'claims')) ~= tonumber(ARGV[2]) then return 0 end
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
local inst = redis.call('HGET', KEYS[2], 'inst')
if inst then redis.call('ZADD', ARGV[4] .. ':running:' .. inst, ARGV[1], ARGV[3]) end
return 1
"""

# Take a job off the running sets and give it its next state: queued again at ARGV[3] (back in its
# installation's ready set), or done / dead (kept for inspection until it expires).
_SETTLE = """
local p, id, state, at, err, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local job = p .. ':job:' .. id
redis.call('ZREM', p .. ':running', id)
local inst = redis.call('HGET', job, 'inst')
if inst then redis.call('ZREM', p .. ':running:' .. inst, id) end
redis.call('HSET', job, 'state', state)
if err ~= '' then redis.call('HSET', job, 'last_error', err) end
if state == 'queued' then
  redis.call('ZADD', p .. ':ready', at, id)
  if inst then
    redis.call('ZADD', p .. ':ready:' .. inst, at, id)
    redis.call('ZADD', p .. ':insts', 'NX', 0, inst)
  end
else
  redis.call('EXPIRE', job, ttl)
end
return 1
"""

_RELEASE = """
if redis.call('HGET', KEYS[2], 'state') ~= 'running' then return 0 end
if tonumber(redis.call('HGET', KEYS[2], 'claims')) ~= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], 'attempts', -1)
return 1
"""


def _supersede_args(job: Job) -> tuple[str, str]:
    return (job.pr_key, job.pushed_at) if job.supersedes else ("", "")


class RedisQueue:
    def __init__(self, url: str, *, prefix: str = "prodready", max_attempts: int = MAX_ATTEMPTS,
                 max_per_installation: int = MAX_JOBS_PER_INSTALLATION, budget: Budget = DEFAULT_BUDGET) -> None:
        self.r: redis.Redis = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT_S,
                                                        socket_connect_timeout=SOCKET_TIMEOUT_S)
        self.p = prefix
        self.max_attempts = max_attempts
        self.max_per_installation = max_per_installation
        self.budget = budget
        self._claim = self.r.register_script(_CLAIM)
        self._accept = self.r.register_script(_ACCEPT)
        self._enqueue = self.r.register_script(_ENQUEUE)
        self._renew = self.r.register_script(_RENEW)
        self._release = self.r.register_script(_RELEASE)
        self._settle = self.r.register_script(_SETTLE)

    def _k(self, *parts: str) -> str:
        return ":".join((self.p, *parts))

    def remember_delivery(self, delivery_id: str) -> bool:
        return self.accept(delivery_id, []) is not None

    def enqueue(self, job: Job, *, delay_s: float = 0.0) -> bool:
        # The pending marker is what collapses jobs for the same (repo, PR, head).
        return bool(self._enqueue(args=[self.p, job.key, job.to_json(), *_supersede_args(job),
                                        time.time() + delay_s, DONE_TTL_S, job.installation_id]))

    def accept(self, delivery_id: str, jobs: Sequence[Job]) -> list[bool] | None:
        args: list[str | float] = [DELIVERY_TTL_S, self.p, time.time(), DONE_TTL_S]
        for job in jobs:
            args += [job.key, job.to_json(), *_supersede_args(job), job.installation_id]
        got = self._accept(keys=[self._k("delivery", delivery_id)], args=args)
        if got == -1:
            return None
        return [bool(x) for x in got]

    def renew(self, claimed: Claimed, *, lease_s: float = LEASE_S) -> bool:
        job_id = str(claimed.id)
        keys = [self._k("running"), self._k("job", job_id)]
        return bool(self._renew(keys=keys, args=[time.time() + lease_s, claimed.claim, job_id, self.p]))

    def _to(self, job_id: int, state: str, *, at: float = 0.0, error: str = "") -> None:
        self._settle(args=[self.p, str(job_id), state, at, error[:500], DONE_TTL_S])

    def release(self, claimed: Claimed) -> None:
        job_id = str(claimed.id)
        # Ours still (state and claim number checked, attempt given back), then queued again at once.
        if self._release(keys=[self._k("running"), self._k("job", job_id)], args=[time.time(), claimed.claim, job_id]):
            self._to(claimed.id, "queued", at=time.time())

    def oldest_age_s(self) -> float:
        now = time.time()
        got = self.r.zrangebyscore(self._k("ready"), "-inf", now, start=0, num=1, withscores=True)
        return max(0.0, now - float(got[0][1])) if got else 0.0

    def claim(self, *, lease_s: float = LEASE_S) -> Claimed | None:
        now = time.time()
        row = self._claim(args=[now, now + lease_s, self.max_per_installation, self.p, self.budget.per_minute,
                                self.budget.per_hour])
        if not row:
            return None
        job_id, payload, attempts, claim = row
        return Claimed(int(job_id), Job.from_json(payload.decode()), int(attempts), int(claim))

    def complete(self, job_id: int) -> None:
        self._to(job_id, "done")

    def retry(self, job_id: int, *, delay_s: float, error: str) -> bool:
        attempts = int(self.r.hget(self._k("job", str(job_id)), "attempts") or 0)
        alive = attempts < self.max_attempts
        self._to(job_id, "queued" if alive else "dead", at=time.time() + delay_s, error=error)
        return alive

    def fail(self, job_id: int, *, error: str) -> None:
        self._to(job_id, "dead", error=error)

    def ping(self) -> bool:
        try:
            return bool(self.r.ping())
        except redis.RedisError:
            return False

    def counts(self) -> dict[str, int]:
        return {"queued": int(self.r.zcard(self._k("ready"))), "running": int(self.r.zcard(self._k("running")))}
