from openai import OpenAI
from twilio.rest import Client

client = OpenAI(timeout=30)
sms = Client()


def summarise(tickets):
    out = []
    for ticket in tickets:
        # ruleid: py-paid-api-call-in-loop
        resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ticket.body}])
        out.append(resp.choices[0].message.content)
    return out


def embed_all(docs):
    # ruleid: py-paid-api-call-in-loop
    return [client.embeddings.create(model="text-embedding-3-small", input=d).data[0].embedding for d in docs]


def notify(users, text):
    for user in users:
        # ruleid: py-paid-api-call-in-loop
        sms.messages.create(to=user.phone, from_="+15550100", body=text)


def embed_batch(docs):
    # ok: py-paid-api-call-in-loop
    resp = client.embeddings.create(model="text-embedding-3-small", input=list(docs))
    return [d.embedding for d in resp.data]


def ask_with_retry(prompt):
    for attempt in range(3):
        try:
            # ok: py-paid-api-call-in-loop
            return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
        except TimeoutError:
            continue
    raise RuntimeError("no answer")


def count(items):
    total = 0
    for item in items:
        # ok: py-paid-api-call-in-loop
        total += len(item.messages)
    return total
