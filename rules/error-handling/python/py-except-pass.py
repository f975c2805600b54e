import logging

log = logging.getLogger(__name__)


def save(order, db):
    # ruleid: py-except-pass
    try:
        db.insert(order)
    except Exception:
        pass


def notify(user, mailer):
    # ruleid: py-except-pass
    try:
        mailer.send(user.email, "Your order shipped")
    except:
        pass


def parse(raw):
    # ruleid: py-except-pass
    try:
        return json.loads(raw)
    except (ValueError, Exception):
        pass
    finally:
        cleanup()


def ok_specific(path):
    # ok: py-except-pass
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def ok_logged(order, db):
    # ok: py-except-pass
    try:
        db.insert(order)
    except Exception:
        log.exception("insert failed for %s", order.id)


class Conn:
    def __del__(self):
        # ok: py-except-pass
        try:
            self.close()
        except Exception:
            pass


def import_rows(rows, db):
    for row in rows:
        # ruleid: py-except-pass
        try:
            db.insert(row)
        except Exception:
            continue


def ok_more(rows, db):
    for row in rows:
        # ok: py-except-pass
        try:
            db.insert(row)
        except Exception:
            log.warning("skip %r", row, exc_info=True)
            continue


def ok_parse_probe_keeps_raw_value(value):
    # ok: py-except-pass
    try:
        value = json.loads(value)
    except Exception:
        # keep the value as a string if it is not JSON
        pass
    return value


def ok_sort_json_if_parseable(content):
    # ok: py-except-pass
    try:
        content = json.dumps(json.loads(content), sort_keys=True)
    except Exception as e:
        pass
    return content


def ok_content_type_guess(headers, body):
    # ok: py-except-pass
    try:
        json.loads(body)
        headers["Content-Type"] = "application/json"
    except Exception:
        pass


def bad_parse_then_process(raw):
    # ruleid: py-except-pass
    try:
        data = json.loads(raw)
        store.save(data)
    except Exception:
        pass


def bad_bare_except_parse(value):
    # ruleid: py-except-pass
    try:
        value = int(value)
    except:
        pass
    return value


async def cancel_and_wait(task):
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        if not task.done():
            task.cancel()
        # ok: py-except-pass
        try:
            await task
        except BaseException:
            pass
        raise


async def swallow_a_call(client):
    # ruleid: py-except-pass
    try:
        await client.close()
    except Exception:
        pass
