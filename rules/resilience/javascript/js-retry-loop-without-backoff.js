async function connectForever(client) {
  while (true) {
    // ruleid: js-retry-loop-without-backoff
    try {
      await client.connect();
      break;
    } catch (err) {
      console.error('connect failed, retrying', err);
    }
  }
}

async function pollQueue(queue, handle) {
  for (;;) {
    // ruleid: js-retry-loop-without-backoff
    try {
      const msg = await queue.receive();
      await handle(msg);
    } catch (err) {
      continue;
    }
  }
}

async function retryWithBackoff(fn) {
  let attempt = 0;
  while (true) {
    // ok: js-retry-loop-without-backoff
    try {
      return await fn();
    } catch (err) {
      attempt += 1;
      if (attempt > 5) throw err;
      await sleep(2 ** attempt * 100);
    }
  }
}

async function giveUp(fn) {
  while (true) {
    // ok: js-retry-loop-without-backoff
    try {
      await fn();
    } catch (err) {
      throw err;
    }
  }
}

async function withTimer(fn) {
  while (true) {
    // ok: js-retry-loop-without-backoff
    try {
      await fn();
    } catch (err) {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function syncLoop(parse) {
  while (true) {
    // ok: js-retry-loop-without-backoff
    try {
      parse();
    } catch (err) {
      break;
    }
  }
}
