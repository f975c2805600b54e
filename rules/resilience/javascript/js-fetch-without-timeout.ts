export async function getUser(id: string) {
  // ruleid: js-fetch-without-timeout
  const res = await fetch(`https://api.example.com/users/${id}`);
  return res.json();
}

export async function createOrder(order: unknown) {
  // ruleid: js-fetch-without-timeout
  const res = await fetch("https://api.example.com/orders", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(order),
  });
  return res.json();
}

export async function withTimeout(url: string) {
  // ok: js-fetch-without-timeout
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return res.text();
}

export async function withController(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  const signal = controller.signal;
  try {
    // ok: js-fetch-without-timeout
    return await fetch(url, { method: "GET", signal });
  } finally {
    clearTimeout(timer);
  }
}

export async function passThrough(url: string, init: RequestInit) {
  // ok: js-fetch-without-timeout
  const a = await fetch(url, init);
  // ok: js-fetch-without-timeout
  const b = await fetch(url, { ...init, method: "PUT" });
  return [a, b];
}

export async function prebuilt(url: string, signal: AbortSignal) {
  const request = new Request(url, { signal });
  // ok: js-fetch-without-timeout
  return fetch(request);
}
