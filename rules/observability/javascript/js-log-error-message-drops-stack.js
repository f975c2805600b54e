async function sync(job, logger) {
  try {
    await job.run();
  } catch (err) {
    // ruleid: js-log-error-message-drops-stack
    logger.error(`sync failed: ${err.message}`);
  }
}

async function refresh(cache) {
  try {
    await cache.refresh();
  } catch (e) {
    // ruleid: js-log-error-message-drops-stack
    console.error('refresh failed:', e.message);
  }
}

async function pull(feed) {
  try {
    await feed.pull();
  } catch (error) {
    // ruleid: js-log-error-message-drops-stack
    console.warn(
      'feed pull failed, keeping the cached copy:',
      error.message
    );
  }
}

async function withObject(job, logger) {
  try {
    await job.run();
  } catch (err) {
    // ok: js-log-error-message-drops-stack
    logger.error({ err }, `sync failed: ${err.message}`);
  }
}

async function rethrown(job, logger) {
  try {
    await job.run();
  } catch (err) {
    // ok: js-log-error-message-drops-stack
    logger.warn('retrying: ' + err.message);
    throw err;
  }
}

async function withStack(job) {
  try {
    await job.run();
  } catch (err) {
    // ok: js-log-error-message-drops-stack
    console.error(err.message);
    console.error(err.stack);
  }
}

async function cliMain(argv) {
  try {
    await run(argv);
  } catch (err) {
    // ok: js-log-error-message-drops-stack
    console.error(err.message);
    process.exit(1);
  }
}

function validateSettings(settings, log) {
  try {
    settings.register('x', {});
  } catch (err) {
    // ok: js-log-error-message-drops-stack
    log.warn('invalid settings: ' + err.message);
  }
}
