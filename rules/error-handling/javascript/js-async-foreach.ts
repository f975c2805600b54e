export async function notifyAll(users: User[], mailer: Mailer): Promise<void> {
  // ruleid: js-async-foreach
  users.forEach(async (u) => {
    await mailer.send(u.email, 'hello');
  });
}

export async function purge(ids: string[], repo: Repo): Promise<void> {
  // ruleid: js-async-foreach
  ids.forEach(async function (id) { await repo.delete(id); });
}

export async function notifyAllProperly(users: User[], mailer: Mailer): Promise<void> {
  // ok: js-async-foreach
  await Promise.all(users.map(async (u) => mailer.send(u.email, 'hello')));
  for (const u of users) {
    // ok: js-async-foreach
    await mailer.send(u.email, 'bye');
  }
}

export function syncCallback(items: number[]): number {
  let sum = 0;
  // ok: js-async-foreach
  items.forEach((n) => { sum += n; });
  return sum;
}

export function single(ids: string[], repo: Repo): void {
  // ruleid: js-async-foreach
  ids.forEach(async id => repo.delete(id));
}

export function matchMembers(members: Member[], tag: string, found: (k: string) => void): void {
  // ok: js-async-foreach
  members.forEach(async function (value, key) {
    if (value.user.tag === tag) { found(key); return; }
  });
}
