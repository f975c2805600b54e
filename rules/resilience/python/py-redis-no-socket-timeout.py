import os
import redis
from redis import Redis


def make_cache():
    # ruleid: py-redis-no-socket-timeout
    return redis.Redis(host=os.environ["REDIS_HOST"], port=6379, db=0)


def from_env():
    # ruleid: py-redis-no-socket-timeout
    return redis.from_url(os.environ["REDIS_URL"])


# ruleid: py-redis-no-socket-timeout
cache = Redis(host="cache", decode_responses=True)


def ok_timeout():
    # ok: py-redis-no-socket-timeout
    return redis.Redis(host="cache", socket_timeout=2, socket_connect_timeout=1)


def ok_pool(pool):
    # ok: py-redis-no-socket-timeout
    return redis.Redis(connection_pool=pool)


def ok_url():
    # ok: py-redis-no-socket-timeout
    return redis.from_url("redis://cache:6379/0?socket_timeout=5")


def ok_forward(**kwargs):
    # ok: py-redis-no-socket-timeout
    return redis.Redis(**kwargs)


def ok_nested_calls_in_timed_client(path, password):
    # ok: py-redis-no-socket-timeout
    return redis.Redis(unix_socket_path=path, password=password, socket_timeout=5, retry=Retry(NoBackoff(), 0))


def ok_kwargs_from_builder(self):
    # ok: py-redis-no-socket-timeout
    return redis.Redis(**self._get_redis_client_args())
