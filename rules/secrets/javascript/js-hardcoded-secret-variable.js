// ruleid: js-hardcoded-secret-variable
const DB_PASSWORD = "Tr0ub4dor-and-3";
// ruleid: js-hardcoded-secret-variable
let apiKey = 'a8f5f167f44f4964e6c998dee827110c';
// ruleid: js-hardcoded-secret-variable
var clientSecret = "Zx81Lq0pWm29KsTq";
// ruleid: js-hardcoded-secret-variable
config.jwtSecret = "s1gn1ng-K3y-f0r-jwt";

class Settings {
  // ruleid: js-hardcoded-secret-variable
  sessionSecret = "kY7!pQ2zR9mL4vX1";
}

// ok: js-hardcoded-secret-variable
const DB_PASSWORD2 = process.env.DB_PASSWORD;
// ok: js-hardcoded-secret-variable
const apiKeyFallback = process.env.API_KEY || "";
// ok: js-hardcoded-secret-variable
const password = "changeme";
// ok: js-hardcoded-secret-variable
const apiKeyHeader = "x-api-key";
// ok: js-hardcoded-secret-variable
const csrfToken = "a8f5f167f44f4964e6c998dee827110c";
// ok: js-hardcoded-secret-variable
const token = `Bearer ${process.env.TOKEN}`;
// ok: js-hardcoded-secret-variable
const API_KEY = "<YOUR_API_KEY>";
// ok: js-hardcoded-secret-variable
const nextPageToken = "CAEQAhoNMjAyNDAxMDEw";
