async function login(req, res, logger) {
  const { username, password } = req.body;
  // ruleid: js-secret-in-log
  console.log('login attempt', username, password);
  const { accessToken } = await auth.login(username, password);
  // ruleid: js-secret-in-log
  logger.debug(`issued token ${accessToken} for ${username}`);
  // ruleid: js-secret-in-log
  logger.info({ user: username, apiKey: config.apiKey });
  res.json({ ok: true });
}

function fine(logger, user, password, config) {
  // ok: js-secret-in-log
  logger.info('password length', password.length);
  // ok: js-secret-in-log
  logger.info(`login for ${user.name}`);
  // ok: js-secret-in-log
  console.log('token type', config.tokenType);
  // ok: js-secret-in-log
  logger.warn('password reset requested');
}
