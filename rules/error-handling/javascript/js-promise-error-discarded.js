function notify(mailer, user) {
  // ruleid: js-promise-catch-swallowed
  mailer.send({ to: user.email, subject: 'Welcome' }).catch(() => {});
}

async function loadProfile(api, id) {
  // ruleid: js-promise-catch-swallowed
  const profile = await api.getProfile(id).catch((err) => null);
  return profile;
}

function legacy(p) {
  // ruleid: js-promise-catch-swallowed
  return p.then((v) => v * 2, function (err) {});
}

function logged(p, logger) {
  // ok: js-promise-catch-swallowed
  return p.catch((err) => logger.error({ err }, 'refresh failed'));
}

function documented(fsp, tmp) {
  // ok: js-promise-catch-swallowed
  fsp.unlink(tmp).catch(() => {
    // best effort: the temp file may already have been removed
  });
}

function handled(p, res) {
  // ok: js-promise-catch-swallowed
  return p.catch((err) => res.status(502).json({ error: 'upstream failed' }));
}
