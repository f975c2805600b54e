async function saveOrder(db, order) {
  try {
    await db.orders.insert(order);
    // ruleid: js-empty-catch
  } catch (err) {}
}

function readConfig(fs, path) {
  let cfg = {};
  try {
    cfg = JSON.parse(fs.readFileSync(path, 'utf8'));
  // ruleid: js-empty-catch
  } catch {
  }
  return cfg;
}

function optional(fs, p) {
  try {
    fs.unlinkSync(p);
  // ok: js-empty-catch
  } catch (err) {
    // the file may already be gone; nothing to do
  }
}

function handled(fn, logger) {
  try {
    fn();
  // ok: js-empty-catch
  } catch (err) {
    logger.error({ err }, 'fn failed');
  }
}

// ok: js-empty-catch
const pattern = /catch (e) {}/;
