import logging

logger = logging.getLogger(__name__)


def sync(job):
    try:
        job.push()
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.exception("sync failed: %s", e)
        job.mark_failed()


class Worker:
    def run(self, task):
        try:
            task()
        except:
            # ruleid: py-log-error-without-traceback
            self.log.exception("task crashed")



def export(rows, log):
    try:
        rows.flush()
    except Exception:
        # ruleid: py-log-error-without-traceback
        log.exception(
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


def ok_log_in_try_body(shelf, user):
    try:
        if user.id != shelf.user_id:
            # ok: py-log-error-without-traceback
            log.error("User is unauthorized to view shelf %s", shelf.name)
            return False
    except Exception:
        log.exception("shelf check failed")
    return True


def ok_log_in_try_body_as(storage_):
    try:
        if not storage_.verify():
            # ok: py-log-error-without-traceback
            logger.critical("Storage verification failed")
            return 1
    except Exception as e:
        logger.critical("verification failed: %s", e, exc_info=True)
        return 1


def bad_handler_after_logging_body(job):
    try:
        if not job.ready:
            logger.error("job not ready")
        job.run()
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.exception("job failed: %s", e)


def ok_traceback_in_message(listener, msg):
    try:
        listener(msg)
    except Exception:
        # ok: py-log-error-without-traceback
        logging.error(f"Uncaught exception in handler for {msg.type}\n{traceback.format_exc()}")


def ok_after_exception_logged(self):
    try:
        self.load_user()
    except Exception as e:
        self.log.exception("Failed to get current user")
        if isinstance(e, SQLAlchemyError):
            # ok: py-log-error-without-traceback
            self.log.error("Rolling back session due to database error")
            self.db.rollback()
