const path = require('path');

app.get('/render/:format', (req, res) => {
  // ruleid: js-require-user-input
  const renderer = require(`./renderers/${req.params.format}`);
  res.send(renderer(req.query));
});

app.post('/plugins', async (req, res) => {
  const name = req.body.plugin;
  // ruleid: js-require-user-input
  const plugin = await import(path.join(__dirname, 'plugins', name));
  res.json(plugin.describe());
});

const renderers = { pdf: require('./renderers/pdf'), html: require('./renderers/html') };

app.get('/render2/:format', (req, res) => {
  // ok: js-require-user-input
  const renderer = renderers[req.params.format];
  // ok: js-require-user-input
  const lodash = require('lodash');
  res.send(renderer ? renderer(req.query) : lodash.escape('unknown'));
});

app.post('/tasks', async (req, res) => {
  const { task } = req.body;
  // ruleid: js-require-user-input
  const mod = require('./tasks/' + task);
  res.json(await mod.run());
});
