const express = require('express');
const { requireAuth } = require('./auth');

const app = express();
app.use(express.json());

// ruleid: js-express-route-without-auth
app.post('/orders', async (req, res) => {
  const order = await db.orders.create(req.body);
  res.status(201).json(order);
});

// ruleid: js-express-route-without-auth
app.delete('/users/:id', express.json(), async (req, res) => {
  await db.users.remove(req.params.id);
  res.sendStatus(204);
});

// ruleid: js-express-route-without-auth
app.get('/admin/stats', (req, res) => res.json(stats()));

// ok: js-express-route-without-auth
app.post('/orders/:id/cancel', requireAuth, async (req, res) => {
  res.json(await db.orders.cancel(req.params.id));
});

// ok: js-express-route-without-auth
app.post('/login', async (req, res) => {
  res.json(await sessions.create(req.body));
});

// ok: js-express-route-without-auth
app.put('/profile', async (req, res) => {
  if (!req.user) return res.sendStatus(401);
  res.json(await db.users.update(req.user.id, req.body));
});

// ok: js-express-route-without-auth
app.get('/products', async (req, res) => res.json(await db.products.list()));

// ok: js-express-route-without-auth
app.patch('/items/:id', passport.authenticate('jwt', { session: false }), (req, res) => res.json({}));

// ok: js-express-route-without-auth
app.post('/receive', bodyParser.urlencoded({ extended: true }), (req, res) => res.json(mentions.receive(req.body)));
