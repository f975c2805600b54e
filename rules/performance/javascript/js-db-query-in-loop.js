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
