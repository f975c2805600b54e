const https = require('https');
const http = require('node:http');

function getJson(url) {
  return new Promise((resolve, reject) => {
    // ruleid: js-http-request-without-timeout
    https.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

function post(body) {
  // ruleid: js-http-request-without-timeout
  const req = http.request({ host: 'internal-svc', port: 8080, path: '/jobs', method: 'POST' }, (res) => res.resume());
  req.end(body);
}

function withOption(url) {
  // ok: js-http-request-without-timeout
  return https.get(url, { timeout: 5000 }, (res) => res.resume());
}

function withSetTimeout(body) {
  // ok: js-http-request-without-timeout
  const req = http.request({ host: 'internal-svc', path: '/jobs', method: 'POST' });
  req.setTimeout(5000, () => req.destroy(new Error('timeout')));
  req.end(body);
}

function withOptionsVar(body) {
  const options = { host: 'internal-svc', path: '/jobs', method: 'POST', timeout: 3000 };
  // ok: js-http-request-without-timeout
  const req = http.request(options);
  req.end(body);
}

function notNodeHttp(client, url) {
  // ok: js-http-request-without-timeout
  return client.get(url);
}
