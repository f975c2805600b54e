const vm = require('vm');
const axios = require('axios');

async function loadPlugin(url) {
  const res = await fetch(url);
  const code = await res.text();
  // ruleid: js-remote-code-eval
  return eval(code);
}

async function loadRules() {
  const { data } = await axios.get('https://cdn.example.com/rules.js', { timeout: 5000 });
  // ruleid: js-remote-code-eval
  return vm.runInNewContext(data, { console });
}

async function loadConfig(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  // ok: js-remote-code-eval
  return JSON.parse(await res.text());
}

function localTemplate(src) {
  // ok: js-remote-code-eval
  return new Function('data', src);
}
