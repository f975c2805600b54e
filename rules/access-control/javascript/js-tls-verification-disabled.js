const https = require('https');
const { Pool } = require('pg');

// ruleid: js-tls-verification-disabled
const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  connectionTimeoutMillis: 5000,
  // ruleid: js-tls-verification-disabled
  ssl: { rejectUnauthorized: false },
});

const mtls = new https.Agent({
  cert: process.env.CLIENT_CERT,
  // ruleid: js-tls-verification-disabled
  ...{
    key: process.env.CLIENT_KEY,
    'rejectUnauthorized': false,
  },
});

// ruleid: js-tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

// ok: js-tls-verification-disabled
const strict = new https.Agent({ keepAlive: true, rejectUnauthorized: true });

// ok: js-tls-verification-disabled
const privateCa = new https.Agent({ ca: fs.readFileSync('/etc/ssl/internal-ca.pem') });

// ok: js-tls-verification-disabled
const configurable = new https.Agent({ rejectUnauthorized: process.env.TLS_INSECURE !== 'true' });

// ok: js-tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';

function sslFromMode(mode) {
  switch (mode) {
    case 'no-verify':
      // ok: js-tls-verification-disabled
      return { rejectUnauthorized: false };
    default:
      return true;
  }
}

function devOnly(options) {
  if (process.env.ALLOW_SELF_SIGNED === 'true') {
    // ok: js-tls-verification-disabled
    options.rejectUnauthorized = false;
  }
}

// ruleid: js-tls-verification-disabled
https.globalAgent.options.rejectUnauthorized = false;
