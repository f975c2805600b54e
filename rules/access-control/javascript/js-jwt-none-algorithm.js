const jwt = require('jsonwebtoken');

function check(token, key) {
  // ruleid: js-jwt-none-algorithm
  return jwt.verify(token, key, { algorithms: ['HS256', 'none'] });
}

function issue(user) {
  // ruleid: js-jwt-none-algorithm
  return jwt.sign({ sub: user.id }, '', { algorithm: 'none' });
}

function checkProperly(token, key) {
  // ok: js-jwt-none-algorithm
  return jwt.verify(token, key, { algorithms: ['RS256'] });
}

function issueProperly(user, key) {
  // ok: js-jwt-none-algorithm
  return jwt.sign({ sub: user.id }, key, { algorithm: 'RS256', expiresIn: '15m' });
}
