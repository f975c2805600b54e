app.get('/users/:id', async (req, res) => {
  // ruleid: js-route-catch-500-without-logging
  try {
    const user = await db.users.findById(req.params.id);
    res.json(user);
  } catch (err) {
    res.status(500).json({ error: 'Internal Server Error' });
  }
});

app.post('/users', async (req, res) => {
  // ruleid: js-route-catch-500-without-logging
  try {
    res.status(201).json(await db.users.create(req.body));
  } catch (err) {
    return res.status(500).send({ message: err.message });
  }
});

app.delete('/users/:id', async (req, res) => {
  // ok: js-route-catch-500-without-logging
  try {
    await db.users.remove(req.params.id);
    res.sendStatus(204);
  } catch (err) {
    req.log.error({ err }, 'delete failed');
    res.sendStatus(500);
  }
});

app.put('/users/:id', async (req, res, next) => {
  // ok: js-route-catch-500-without-logging
  try {
    res.json(await db.users.update(req.params.id, req.body));
  } catch (err) {
    if (err.code === 'NOT_FOUND') {
      return res.status(404).end();
    }
    next(err);
  }
});

app.patch('/users/:id', async (req, res) => {
  // ok: js-route-catch-500-without-logging
  try {
    res.json(await db.users.patch(req.params.id, req.body));
  } catch (err) {
    return res.status(400).json({ error: 'invalid input' });
  }
});
