import logging
import sys

log = logging.getLogger(__name__)


def run_job(job):
    # ruleid: py-bare-except-no-reraise
    try:
        job.run()
    except Exception:
        log.error("job failed")
        job.mark_failed()


def poll(queue):
    while True:
        # ruleid: py-bare-except-no-reraise
        try:
            handle(queue.get())
        except Exception as e:
            log.error("handler crashed: %s", e)



def sweep(items):
    # ruleid: py-bare-except-no-reraise
    try:
        for item in items:
            try:
                item.close()
            except:
                raise
    except ValueError:
        log.warning("bad item")
    except Exception:
        log.error("sweep failed")
    finally:
        items.clear()

def ok_reraise(tx):
    # ok: py-bare-except-no-reraise
    try:
        tx.commit()
    except:
        tx.rollback()
        raise


def ok_exception(job):
    # ok: py-bare-except-no-reraise
    try:
        job.run()
    except Exception:
        log.exception("job failed")


def ok_exit(main):
    # ok: py-bare-except-no-reraise
    try:
        main()
    except:
        log.exception("fatal")
        sys.exit(1)


def ok_conditional_raise(tx):
    # ok: py-bare-except-no-reraise
    try:
        tx.commit()
    except BaseException as e:
        if not isinstance(e, Exception):
            raise
        tx.rollback()


def ok_handed_on(conn):
    # ok: py-bare-except-no-reraise
    try:
        conn.begin()
    except BaseException as e:
        conn.handle_dbapi_exception(e)


def ok_raise_from(app):
    # ok: py-bare-except-no-reraise
    try:
        app.run()
    except BaseException as exc:
        log.error("app failed")
        raise exc from None
