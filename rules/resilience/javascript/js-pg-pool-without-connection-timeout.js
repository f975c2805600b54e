const { Pool, Client } = require('pg');

// ruleid: js-pg-pool-without-connection-timeout
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

async function oneOff() {
  // ruleid: js-pg-pool-without-connection-timeout
  const client = new Client({ host: 'db', user: 'app', database: 'app' });
  await client.connect();
  return client;
}

// ruleid: js-pg-pool-without-connection-timeout
const reporting = new Pool({
  connectionString: process.env.REPORTING_URL,
  max: 4,
});

// ok: js-pg-pool-without-connection-timeout
const shorthand = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis });

// ok: js-pg-pool-without-connection-timeout
const pool2 = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });

// ok: js-pg-pool-without-connection-timeout
const pool3 = new Pool({ ...baseConfig, max: 5 });

// ok: js-pg-pool-without-connection-timeout
const pool4 = new Pool(configFromFile);
