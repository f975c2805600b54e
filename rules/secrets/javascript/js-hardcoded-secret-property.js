const { Pool } = require("pg");

const pool = new Pool({
  host: "db.internal",
  user: "app",
  // ruleid: js-hardcoded-secret-property
  password: "pg-Pr0d-2024!x",
});

const stripe = new Client({
  // ruleid: js-hardcoded-secret-property
  apiKey: "9f86d081884c7d659a2feaa0c55ad015",
  // ruleid: js-hardcoded-secret-property
  "client_secret": "Gx7hQ2mR9vK4pL8z",
});

const pool2 = new Pool({
  // ok: js-hardcoded-secret-property
  password: process.env.PGPASSWORD,
  // ok: js-hardcoded-secret-property
  apiKey: "YOUR_API_KEY",
  // ok: js-hardcoded-secret-property
  token: "",
  // ok: js-hardcoded-secret-property
  secret: "${SESSION_SECRET}",
  // ok: js-hardcoded-secret-property
  accessToken: "access_token",
});
