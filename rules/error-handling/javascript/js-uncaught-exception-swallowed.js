const logger = require('./logger');

// ruleid: js-uncaught-exception-swallowed
process.on('uncaughtException', (err) => {
  logger.error({ err }, 'uncaught exception');
});

// ruleid: js-uncaught-exception-swallowed
process.on('uncaughtException', function () {});

// ok: js-uncaught-exception-swallowed
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception, exiting');
  process.exit(1);
});

// ok: js-uncaught-exception-swallowed
process.once('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  server.close(() => process.exit(1));
});

// ok: js-uncaught-exception-swallowed
process.on('uncaughtException', shutdownAndExit);

// ok: js-uncaught-exception-swallowed
process.on('unhandledRejection', (reason) => {
  throw reason;
});

// ok: js-uncaught-exception-swallowed
process.on('uncaughtException', (err) => {
  logger.debug(`uncaught exception: ${err.stack || err}`);
  exports.exit(err);
});
