import logging

logger = logging.getLogger(__name__)


def sync(job):
    try:
        job.push()
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.error("sync failed: %s", e)
        job.mark_failed()


class Worker:
    def run(self, task):
        try:
            task()
        except:
            # ruleid: py-log-error-without-traceback
            self.log.error("task crashed")



def export(rows, log):
    try:
        rows.flush()
    except Exception:
        # ruleid: py-log-error-without-traceback
        log.error(
            "export of %d rows failed",
            len(rows),
        )


def shutdown(conn):
    try:
        conn.close()
    except BaseException:
        # ruleid: py-log-error-without-traceback
        logger.critical("could not close %s", conn)

def ok_exception(job):
    try:
        job.push()
    except Exception:
        # ok: py-log-error-without-traceback
        logger.exception("sync failed")


def ok_exc_info(job):
    try:
        job.push()
    except Exception:
        # ok: py-log-error-without-traceback
        logger.error("sync failed", exc_info=True)


def ok_reraise(job):
    try:
        job.push()
    except Exception:
        # ok: py-log-error-without-traceback
        logger.error("sync failed for %s", job.id)
        raise


def ok_expected(path):
    try:
        return open(path).read()
    except FileNotFoundError:
        # ok: py-log-error-without-traceback
        logger.error("config file %s missing", path)
