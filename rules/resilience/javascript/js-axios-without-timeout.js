const axios = require('axios');

async function getUser(id) {
  // ruleid: js-axios-without-timeout
  const { data } = await axios.get(`https://api.example.com/users/${id}`);
  return data;
}

async function createUser(user) {
  // ruleid: js-axios-without-timeout
  const { data } = await axios.post('https://api.example.com/users', user, {
    headers: { Authorization: `Bearer ${process.env.API_TOKEN}` },
  });
  return data;
}

async function charge(body) {
  // ruleid: js-axios-without-timeout
  return axios({ method: 'post', url: 'https://pay.example.com/charge', data: body });
}

// ruleid: js-axios-without-timeout
const untimed = axios.create({ baseURL: 'https://api.example.com' });

// ok: js-axios-without-timeout
const api = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });

async function viaInstance(id) {
  // ok: js-axios-without-timeout
  const { data } = await api.get(`/users/${id}`);
  return data;
}

async function withTimeout(url, body) {
  // ok: js-axios-without-timeout
  await axios.get(url, { timeout: 3000 });
  // ok: js-axios-without-timeout
  await axios.post(url, body, { timeout: 3000, headers: {} });
  // ok: js-axios-without-timeout
  await axios({ url, method: 'get', timeout: 3000 });
}

async function withPassedConfig(url, config) {
  // ok: js-axios-without-timeout
  await axios.get(url, config);
  // ok: js-axios-without-timeout
  await axios.get(url, { ...config, responseType: 'json' });
}

// ok: js-axios-without-timeout
const legacy = axios.create({ baseURL: 'https://legacy.example.com' });
legacy.defaults.timeout = 10000;
