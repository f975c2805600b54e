const jwt = require('jsonwebtoken');

function currentUser(req) {
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  // ruleid: js-jwt-decode-without-verify
  const claims = jwt.decode(token);
  return claims && claims.sub;
}

function isAdmin(token) {
  // ruleid: js-jwt-decode-without-verify
  return jwt.decode(token, { json: true }).role === 'admin';
}

// ok: js-jwt-decode-without-verify
const parsed = JSON.parse(Buffer.from(x, 'base64').toString());

function decodeUri(s) {
  // ok: js-jwt-decode-without-verify
  return decodeURIComponent(s);
}
