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


def ok_details_logged_after(worker_id, job):
    try:
        job.run()
    except Exception as e:
        # ok: py-log-error-without-traceback
        logger.error(f"Worker {worker_id} error during cleanup: {e}")
        logger.exception(f"Worker {worker_id} full exception details:")


def ok_details_logged_after_at_debug(conn):
    try:
        conn.capture()
    except Exception as e:
        # ok: py-log-error-without-traceback
        logger.error("Failed to capture events: '%s', trying again", e)
        logger.debug(e, exc_info=True)


def ok_reraise_after_branch(handler, username):
    try:
        check_groups(username)
    except Exception as e:
        if handler is not None:
            # ok: py-log-error-without-traceback
            self.log.error("Group check failed (%s@%s): %s", username, handler.request.remote_ip, e)
        else:
            # ok: py-log-error-without-traceback
            self.log.error("Group check failed: %s", e)
        raise


def ok_try_body_only_logs():
    try:
        logger.debug("NotificationQueue closed successfully")
    except Exception as e:
        # ok: py-log-error-without-traceback
        logger.critical(f"CRITICAL: Failed to close NotificationQueue: {str(e)}")


def ok_parse_one_field(row, fieldname):
    try:
        row[fieldname] = json.loads(row[fieldname])
    except Exception as e:
        # ok: py-log-error-without-traceback
        logger.error("row error in type conversion fieldname=%r row=%r error: %r", fieldname, row, e)
        return False


def ok_one_filesystem_call(folder_db):
    try:
        os.mkdir(folder_db)
    except Exception as e:
        # ok: py-log-error-without-traceback
        logger.error("folder cannot be created (check permissions): %r (%r)", folder_db, e)
        return False


def ok_read_one_file(password_file):
    try:
        with open(password_file, "r", encoding="utf-8") as file:
            password = file.read().rstrip("\n")
    except Exception as e:
        # ok: py-log-error-without-traceback
        logger.error("password file not readable: %r (%r)", password_file, e)


def bad_filesystem_call_and_more(path, job):
    try:
        os.mkdir(path)
        job.init(path)
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.exception("init failed: %s", e)


def bad_branch_without_reraise(job):
    try:
        job.push()
    except Exception as e:
        if job.urgent:
            # ruleid: py-log-error-without-traceback
            logger.exception("push failed: %s", e)
        job.cleanup()


def bad_other_object_in_try_body(job):
    try:
        job.debug("starting")
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.exception("start failed: %s", e)


def bad_other_handler_reraises(f, operation_id):
    try:
        validate(f)
    except BadRequest:
        raise
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.critical(f"OpenAPI validation warning for {operation_id}: {e}")
        abort(500)


def bad_raise_in_try_body_branch(img, fmt):
    try:
        if fmt == "png":
            img.save_png()
        else:
            raise ValueError(f"Unsupported format: {fmt}")
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.exception(f"Failed to save: {e}")
        return False


async def bad_raise_after_the_try(self, fetch_favicon):
    if fetch_favicon:
        try:
            self.favicon_blob = await self.page.evaluate(FAVICON_FETCHER_JS)
        except Exception as e:
            # ruleid: py-log-error-without-traceback
            logger.exception(f"Error fetching FavIcon info {str(e)}, continuing.")
    if self.status_code != 200:
        raise Non200ErrorCodeReceived(status_code=self.status_code)


async def ok_diagnostic_in_nested_try(q, worker_id):
    while True:
        try:
            item = await q.get()
        except Exception as e:
            # ruleid: py-log-error-without-traceback
            logger.critical(f"Worker {worker_id} failed to get queue item: {e}")
            try:
                size = q.qsize()
                # ok: py-log-error-without-traceback
                logger.critical(f"Worker {worker_id} queue health - size: {size}")
            except Exception as health_e:
                # ruleid: py-log-error-without-traceback
                logger.critical(f"Worker {worker_id} queue health check failed: {health_e}")
            continue


def bad_handler_of_try_nested_in_try_body(items):
    try:
        for x in items:
            try:
                process(x)
            except Exception as e:
                # ruleid: py-log-error-without-traceback
                logger.exception("failed %s", e)
    except Exception as e:
        # ruleid: py-log-error-without-traceback
        logger.exception("all failed %s", e)
