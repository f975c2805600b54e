function notify(mailer, user) {
  // ruleid: js-promise-error-discarded
  mailer.send({ to: user.email, subject: 'Welcome' }).catch(() => {});
}

async function loadProfile(api, id) {
  // ruleid: js-promise-error-discarded
  const profile = await api.getProfile(id).catch((err) => null);
  return profile;
}

function legacy(db, row) {
  // ruleid: js-promise-error-discarded
  return db.insert(row).then((v) => v.id, function (err) {});
}

function logged(p, logger) {
  // ok: js-promise-error-discarded
  return p.refresh().catch((err) => logger.error({ err }, 'refresh failed'));
}

function documented(queue) {
  // ok: js-promise-error-discarded
  queue.pause().catch(() => void 0); // paused queues are resumed on the next tick anyway

  // ok: js-promise-error-discarded
  queue.drain().catch(() => {
    // draining twice is harmless
  });
}

function cleanup(fsp, tmp, conn) {
  // ok: js-promise-error-discarded
  fsp.unlink(tmp).catch(() => {});
  // ok: js-promise-error-discarded
  conn.close().catch(() => {});
}

function storedPromise(self) {
  // ok: js-promise-error-discarded
  self._initializing.catch(() => {});
}

function handled(p, res) {
  // ok: js-promise-error-discarded
  return p.load().catch((err) => res.status(502).json({ error: 'upstream failed' }));
}

function commentedAbove(model) {
  // Errors are handled internally, so it is safe to ignore them here
  // ok: js-promise-error-discarded
  model.init().catch(() => {});
}

function nested(p, cb) {
  // ok: js-promise-error-discarded
  return p.load().catch((err) => { cb(err, () => {}); });
}

async function optionalManifest(pacote, spec) {
  // ok: js-promise-error-discarded
  const mani = await pacote.manifest(spec).catch(() => null);
  if (!mani) {
    return null;
  }
  return mani.version;
}

async function optionalUser(getIdentity, npm) {
  // ok: js-promise-error-discarded
  const username = await getIdentity(npm).catch(() => null);
  if (!username) return [];
  return [username];
}

async function unchecked(api, id) {
  // ruleid: js-promise-error-discarded
  const user = await api.getUser(id).catch(() => null);
  return user.name;
}

function chained(queue) {
  return queue.isReady()
    .then(() => queue.pause())
    // ok: js-promise-error-discarded
    .catch(() => void 0) // a failed pause is retried by the next close()
    .finally(() => queue.clear());
}

async function fillCache(cacheKey, buffer) {
  await Promise.all([
    // ok: js-promise-error-discarded
    fsp.writeFile(`${CACHE_DIR}minified_${cacheKey}`, buffer).catch(() => {}),
    // ruleid: js-promise-error-discarded
    fsp.writeFile(`${DATA_DIR}${cacheKey}.json`, buffer).catch(() => {}),
  ]);
}
