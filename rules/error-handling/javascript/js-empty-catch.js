async function saveOrder(db, order) {
  try {
    await db.orders.insert(order);
    // ruleid: js-empty-catch
  } catch (err) {}
}

async function readConfig(fsp, path) {
  let cfg = {};
  try {
    const text = await fsp.readFile(path, 'utf8');
    cfg = JSON.parse(text);
  // ruleid: js-empty-catch
  } catch {
  }
  return cfg;
}

async function optional(fsp, p) {
  try {
    await fsp.unlink(p);
  // ok: js-empty-catch
  } catch (err) {
    // the file may already be gone; nothing to do
  }
}

async function handled(fn, logger) {
  try {
    await fn();
  // ok: js-empty-catch
  } catch (err) {
    logger.error({ err }, 'fn failed');
  }
}

async function lintDisabled(ready) {
  try {
    await ready;
    // eslint-disable-next-line no-empty
  // ok: js-empty-catch
  } catch (e) {}
}

async function namedIgnore(ready) {
  try {
    await ready;
  // ok: js-empty-catch
  } catch (_err) {}
}

function syncFeatureDetect() {
  try {
    Object.defineProperty({}, 'x', { get() {} });
  // ok: js-empty-catch
  } catch (e) {}
}

// ok: js-empty-catch
const pattern = /catch (e) {}/;
