const OpenAI = require("openai");
const twilio = require("twilio");

const openai = new OpenAI({ timeout: 30000 });
const sms = twilio();

async function summarise(tickets) {
  const out = [];
  for (const ticket of tickets) {
    // ruleid: js-paid-api-call-in-loop
    const resp = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: ticket.body }] });
    out.push(resp.choices[0].message.content);
  }
  return out;
}

async function embedAll(docs) {
  return Promise.all(docs.map(async (d) => {
    // ruleid: js-paid-api-call-in-loop
    const r = await openai.embeddings.create({ model: "text-embedding-3-small", input: d });
    return r.data[0].embedding;
  }));
}

function notify(users, text) {
  // ruleid: js-paid-api-call-in-loop
  users.forEach((u) => sms.messages.create({ to: u.phone, from: "+15550100", body: text }));
}

async function embedBatch(docs) {
  // ok: js-paid-api-call-in-loop
  const r = await openai.embeddings.create({ model: "text-embedding-3-small", input: docs });
  return r.data.map((d) => d.embedding);
}

async function askWithRetry(prompt) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // ok: js-paid-api-call-in-loop
      return await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}

function lengths(threads) {
  // ok: js-paid-api-call-in-loop
  return threads.map((t) => t.messages.length);
}
