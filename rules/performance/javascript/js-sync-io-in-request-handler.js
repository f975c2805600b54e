const fs = require('fs');
const { execSync } = require('child_process');
const express = require('express');
const app = express();

// ok: js-sync-io-in-request-handler
const template = fs.readFileSync('./views/invoice.html', 'utf8');

app.get('/report/:id', (req, res) => {
  // ruleid: js-sync-io-in-request-handler
  const data = fs.readFileSync(`/data/reports/${req.params.id}.json`, 'utf8');
  res.json(JSON.parse(data));
});

app.post('/convert', async function (req, res) {
  // ruleid: js-sync-io-in-request-handler
  const out = execSync(`convert ${req.body.file} out.pdf`);
  res.send(out);
});

app.get('/report2/:id', async (req, res) => {
  // ok: js-sync-io-in-request-handler
  const data = await fs.promises.readFile(`/data/reports/${req.params.id}.json`, 'utf8');
  res.json(JSON.parse(data));
});

function buildAssets() {
  // ok: js-sync-io-in-request-handler
  fs.writeFileSync('dist/manifest.json', '{}');
}
