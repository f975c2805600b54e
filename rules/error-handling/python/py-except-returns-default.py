import json
import logging

logger = logging.getLogger(__name__)


def get_user(db, user_id) -> "User":
    # ruleid: py-except-returns-default
    try:
        row = db.fetch_one("SELECT * FROM users WHERE id = %s", (user_id,))
        return User.from_row(row)
    except Exception:
        return None


def list_orders(client, customer) -> list[dict]:
    # ruleid: py-except-returns-default
    try:
        resp = client.get(f"/customers/{customer}/orders", timeout=5)
        resp.raise_for_status()
    except Exception as exc:
        logger.debug("orders lookup failed: %s", exc)
        return []
    return resp.json()["orders"]


async def read_settings(store, name) -> dict[str, str]:
    # ruleid: py-except-returns-default
    try:
        data = await store.read(name)
    except Exception as e:
        print(
            "could not read settings",
            e,
        )
        return {}
    else:
        return parse_settings(data)


def file_size(fh) -> int:
    # a local probe: OSError here means "size unknown"
    # ok: py-except-returns-default
    try:
        return os.fstat(fh.fileno()).st_size
    except OSError:
        return None


def currency(watch) -> str:
    # no call to another system in the try block
    # ok: py-except-returns-default
    try:
        return (watch.get("restock") or {}).get("currency") or ""
    except Exception:
        return ""


def fetch_token(session) -> str:
    # ruleid: py-except-returns-default
    try:
        return session.post(TOKEN_URL, timeout=10).json()["access_token"]
    except (KeyError, Exception):
        return ""
    finally:
        session.close()


def load_profile(redis_client, key) -> Profile:
    # ruleid: py-except-returns-default
    try:
        blob = redis_client.get(key)
        if blob is None:
            raise LookupError(key)
        return Profile.decode(blob)
    except Exception:
        return


def ok_logged(db, user_id) -> "Row":
    # ok: py-except-returns-default
    try:
        return db.fetch_one("SELECT 1 FROM users WHERE id = %s", (user_id,))
    except Exception:
        logger.exception("user lookup failed for %s", user_id)
        return None


def ok_warning(client) -> dict:
    # ok: py-except-returns-default
    try:
        return client.get("/health", timeout=2).json()
    except Exception as e:
        logger.warning("health check failed: %s", e)
        return {}


def ok_reraise(db, q) -> list:
    # ok: py-except-returns-default
    try:
        return db.query(q)
    except Exception:
        metrics.incr("db.error")
        raise


def ok_narrow(cache, key) -> str:
    # ok: py-except-returns-default
    try:
        return cache[key]
    except KeyError:
        return None


def ok_parse(raw) -> dict:
    # ok: py-except-returns-default
    try:
        return json.loads(raw)
    except Exception:
        return None


def try_fetch_plugin(name) -> Plugin:
    # the name says so: None means "not available"
    # ok: py-except-returns-default
    try:
        return plugin_api.fetch(name)
    except Exception:
        return None


def config_or_none(path) -> dict:
    # ok: py-except-returns-default
    try:
        return api_client.get_config(path)
    except Exception:
        return None


def is_reachable(host) -> bool:
    # ok: py-except-returns-default
    try:
        return ping(host)
    except Exception:
        return False


def send_report(mailer, report) -> bool:
    # True/False already tells the caller whether it worked
    # ok: py-except-returns-default
    try:
        mailer.send(report)
        return True
    except Exception:
        return False


def cleanup_tmp(path):
    # nothing to return on the normal path either
    # ok: py-except-returns-default
    try:
        shutil.rmtree(path)
    except OSError:
        return


def ok_bare(db) -> int:
    # a bare except is py-bare-except-no-reraise's finding
    # ok: py-except-returns-default
    try:
        return db.count()
    except:
        return 0


class Cache:
    def __del__(self) -> None:
        # ok: py-except-returns-default
        try:
            return self.conn.close()
        except Exception:
            return None


def find_user(db, email) -> "User | None":
    # the signature says "maybe nothing"; the caller already handles None
    # ok: py-except-returns-default
    try:
        return db.fetch_one("SELECT * FROM users WHERE email = %s", (email,))
    except Exception:
        return None


def lookup_plan(client, account):
    # no declared return type: whether None is part of the contract cannot be told
    # ok: py-except-returns-default
    try:
        return client.get(f"/accounts/{account}/plan", timeout=5).json()
    except Exception:
        return None


def page_count(client, doc) -> int:
    # ruleid: py-except-returns-default
    try:
        return client.head(doc, timeout=5).json()["pages"]
    except Exception as e:
        log.debug("page count failed: %s", e)
        return 0


def upload_ok(client, blob) -> bool:
    # False already says "it did not work"
    # ok: py-except-returns-default
    try:
        client.put(blob, timeout=30)
        return True
    except Exception:
        return False
