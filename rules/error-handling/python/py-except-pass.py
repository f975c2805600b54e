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
