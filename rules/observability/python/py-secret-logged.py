import logging

logger = logging.getLogger(__name__)


def login(username, password):
    # ruleid: py-secret-logged
    logger.debug("login attempt %s %s", username, password)
    return auth(username, password)


def refresh(client):
    token = client.fetch_token()
    # ruleid: py-secret-logged
    logger.info(f"got new token {token}")
    return token


def connect(settings):
    # ruleid: py-secret-logged
    logger.info("connecting with key %s" % settings.api_key)


def ok_no_value(username):
    # ok: py-secret-logged
    logger.info("password reset requested for %s", username)


def ok_related_names(token_count, password_reset_url, token_type):
    # ok: py-secret-logged
    logger.info("used %d tokens, type %s, reset at %s", token_count, token_type, password_reset_url)


def ok_not_logger(password):
    # ok: py-secret-logged
    hasher.update(password)


def prune_tokens(user, now):
    for token in user.api_tokens:
        if token.expires_at and token.expires_at < now:
            # ok: py-secret-logged
            log.warning(f"Deleting expired token {token}")
        if not token.client_id:
            # ok: py-secret-logged
            log.warning(f"Deleting stale oauth token {token}")


def announce(token):
    if token:
        # ruleid: py-secret-logged
        logger.info(f"using token {token}")
