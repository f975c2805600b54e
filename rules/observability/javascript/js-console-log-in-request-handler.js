const express = require('express');
const app = express();

app.post('/orders', async (req, res) => {
  // ruleid: js-console-log-in-request-handler
  console.log('creating order', req.body.sku);
  const order = await orders.create(req.body);
  res.status(201).json(order);
});

function listUsers(req, res, next) {
  // ruleid: js-console-log-in-request-handler
  console.info('listing users');
  res.json([]);
}

app.get('/health', (req, res) => {
  // ok: js-console-log-in-request-handler
  req.log.info('health check');
  res.send('ok');
});

function startup() {
  // ok: js-console-log-in-request-handler
  console.log('listening on 3000');
}

https.get(url, (res) => {
  // ok: js-console-log-in-request-handler
  console.log('status', res.statusCode);
});
