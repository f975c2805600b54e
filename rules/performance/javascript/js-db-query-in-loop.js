async function ordersWithUsers(orders) {
  const out = [];
  for (const order of orders) {
    // ruleid: js-db-query-in-loop
    const user = await User.findById(order.userId).lean();
    out.push({ ...order, user });
  }
  return out;
}

async function postsWithAuthors(prisma, posts) {
  for (const post of posts) {
    // ruleid: js-db-query-in-loop
    post.author = await prisma.user.findUnique({ where: { id: post.authorId } });
  }
  return posts;
}

async function batched(orders) {
  const ids = orders.map((o) => o.userId);
  // ok: js-db-query-in-loop
  const users = await User.find({ _id: { $in: ids } }).lean();
  return users;
}

async function fixedLookup(items) {
  for (const item of items) {
    // ok: js-db-query-in-loop
    const settings = await Settings.findOne({ key: 'global' });
    item.settings = settings;
  }
}

async function findOrCreateLabels(labels, options) {
  const out = [];
  for (const label of labels) {
    // ok: js-db-query-in-loop
    const existing = await models.Label.findOne({ name: label.name });
    if (existing) {
      out.push(existing);
    } else {
      out.push(await models.Label.add(label, options));
    }
  }
  return out;
}

async function clicksWithMembers(clicks) {
  const out = [];
  for (const click of clicks) {
    // ruleid: js-db-query-in-loop
    const member = await Member.findOne({ id: click.member_id });
    out.push({ click, uuid: member.uuid });
  }
  return out;
}
