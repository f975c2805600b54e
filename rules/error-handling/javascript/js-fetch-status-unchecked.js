async function getUser(id) {
  // ruleid: js-fetch-status-unchecked
  return (await fetch(`https://api.example.com/users/${id}`, { signal: AbortSignal.timeout(5000) })).json();
}

async function listOrders(id) {
  const res = await fetch(`/api/orders?u=${id}`, { signal: AbortSignal.timeout(5000) });
  // ruleid: js-fetch-status-unchecked
  const body = await res.json();
  return body.items;
}

function prices() {
  // ruleid: js-fetch-status-unchecked
  return fetch("/api/prices", { signal: AbortSignal.timeout(5000) }).then((r) => r.json());
}

async function checked(id) {
  const res = await fetch(`/api/users/${id}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) {
    throw new Error(`user ${id}: HTTP ${res.status}`);
  }
  // ok: js-fetch-status-unchecked
  return res.json();
}

async function byStatus(id) {
  const res = await fetch(`/api/users/${id}`, { signal: AbortSignal.timeout(5000) });
  if (res.status === 404) return null;
  // ok: js-fetch-status-unchecked
  return await res.json();
}

async function notFetch(cache) {
  const entry = await cache.get("k");
  // ok: js-fetch-status-unchecked
  return entry.json();
}

async function handledByTheCatch(url, log) {
  try {
    const res = await fetch(url);
    // ok: js-fetch-status-unchecked
    const body = await res.json();
    return body.secret;
  } catch (err) {
    log.error(`could not read the secret: ${err}`);
    return null;
  }
}
