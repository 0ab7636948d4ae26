// Drives several instances of the shop as real shoppers do, for scripts/faults.sh.
//   node end2end/faults/driver.mjs race <product id> <buyers> <base URL>...
//   node end2end/faults/driver.mjs idempotency <product id> <base URL>...
//   node end2end/faults/driver.mjs across <product id> <base URL>...
//   node end2end/faults/driver.mjs stream <product id> <seconds> <concurrency> <base URL>...
//   node end2end/faults/driver.mjs load <seconds> <concurrency> <base URL>...
//   node end2end/faults/driver.mjs staff-edit <sku> <slug> <price> <staff email> <password> <base URL>...
//   node end2end/faults/driver.mjs pay-stream <product id> <seconds> <concurrency> <base URL>...
//   node end2end/faults/driver.mjs subscribe <product id> <accounts> <base URL>...
//   node end2end/faults/driver.mjs mixed <product id> <seconds> <concurrency> <base URL>...
//   node end2end/faults/driver.mjs provider-place <product id> <buyers> <base URL>...
//   node end2end/faults/driver.mjs provider-pay <orders file> <base URL>...
// Each shopper comes from an address of its own (X-Forwarded-For, the instances trust
// 127.0.0.1 as their proxy), as buyers behind a load balancer do. Prints one JSON line.

const [scenario, productId, ...rest] = process.argv.slice(2);

const TERMS_VERSION = process.env.FAULTS_TERMS_VERSION ?? '';

/** A client address of its own for shopper `n`. */
const clientOf = (n) => `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`;

/** The value of cookie `name` in the answer's Set-Cookie headers. */
function cookieOf(response, name) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [key, value] = pair.split('=');
    if (key.trim() === name) return value;
  }
  return null;
}

/** Posts a form as a browser without JavaScript does (redirects not followed). */
async function post(base, path, fields, cookies, client, accept = 'text/html') {
  const started = performance.now();
  const response = await fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept,
      cookie: cookies,
      'x-forwarded-for': client,
      'sec-fetch-site': 'same-origin',
      referer: base + '/checkout',
    },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  if (response.status >= 500) seen.http5xx++;
  return { response, ms: performance.now() - started };
}

/** Answers with a 5xx status seen by any request of this run. */
const seen = { http5xx: 0 };

/** The checkout's details then delivery steps for shopper `n`, on `detailsOn` and `deliveryOn`:
 *  `quantity` of the product (`every` months by subscription), paid by `method`, as a visitor
 *  or in the signed-in `session`. */
async function fill(n, detailsOn, deliveryOn, options = {}) {
  const { quantity = 1, method = 'bank_transfer', session = null, email = null, every = null } = options;
  const client = clientOf(n);
  const cart = `comptoir_cart=FR~${productId}x${quantity}${every ? `m${every}` : ''}`;
  const fields = {
    'details[email]': email ?? `faults-${process.pid}-${n}@exemple.fr`,
    'details[title]': 'mme',
    'details[first_name]': 'Léa',
    'details[last_name]': 'Dubois',
    'details[phone]': '+33 6 12 34 56 78',
    'details[delivery][first_name]': 'Léa',
    'details[delivery][last_name]': 'Dubois',
    'details[delivery][line1]': `${n} rue Neuve`,
    'details[delivery][postal_code]': '69002',
    'details[delivery][city]': 'Lyon',
    'details[delivery][country]': 'FR',
  };
  const withSession = session ? `${cart}; comptoir_session=${session}` : cart;
  const details = await post(detailsOn, '/api/checkout/details', fields, withSession, client);
  const current = cookieOf(details.response, 'comptoir_session') ?? session;
  if (details.response.headers.get('location') !== '/checkout?step=delivery' || !current) {
    return { error: `details ${details.response.status} ${details.response.headers.get('location')}` };
  }
  const cookies = `${cart}; comptoir_session=${current}`;
  const delivery = await post(deliveryOn, '/api/checkout/delivery', { payment_method: method }, cookies, client);
  if (delivery.response.headers.get('location') !== '/checkout?step=review') {
    return { error: `delivery ${delivery.response.status} ${delivery.response.headers.get('location')}` };
  }
  return { cookies, client, email: fields['details[email]'] };
}

/** The last step as a script calls it: its status. */
async function place(base, filled, key) {
  const { response, ms } = await post(
    base,
    '/api/checkout/place',
    { idempotency_key: key, terms_version: TERMS_VERSION, terms: 'accepted' },
    filled.cookies,
    filled.client,
    'application/json',
  );
  return { status: response.status, ms, location: response.headers.get('location') ?? '' };
}

/** The shopper's answer on the demo provider's page at `location` (`/pay/demo/{id}`), posted
 *  as the page's form does: whether it was taken (the way back answered). */
async function payOnDemo(base, location, client, outcome = 'pay') {
  const id = location.split('/pay/demo/')[1];
  if (!id) return false;
  const { response } = await post(base, '/api/pay/demo/answer', { id, outcome }, '', client);
  return response.status === 303 || response.status === 302;
}

const key = (n) => `faults-${process.pid}-${n}-${'k'.repeat(24)}`.slice(0, 64);

function summary(statuses) {
  const count = (test) => statuses.filter(test).length;
  return { ok: count((s) => s >= 200 && s < 400), refused: count((s) => s >= 400 && s < 500), errors: count((s) => s >= 500 || s === 0) };
}

async function race(buyers, bases) {
  // Every shopper fills the checkout first (spread over the instances), then all place at once.
  const filled = await Promise.all(
    Array.from({ length: buyers }, (_, n) => fill(n, bases[n % bases.length], bases[(n + 1) % bases.length])),
  );
  const failed = filled.filter((f) => f.error);
  const placed = await Promise.all(
    filled.map((f, n) => (f.error ? { status: 0, ms: 0 } : place(bases[(n + 2) % bases.length], f, key(n)).catch(() => ({ status: 0, ms: 0 })))),
  );
  const ms = placed.map((p) => p.ms).sort((a, b) => a - b);
  return { ...summary(placed.map((p) => p.status)), fill_errors: failed.map((f) => f.error).slice(0, 3), p99_ms: Math.round(ms[Math.floor(ms.length * 0.99)] ?? 0) };
}

async function idempotency(bases) {
  const filled = await fill(1_000_000 + process.pid % 1000, bases[0], bases[0]);
  if (filled.error) return { error: filled.error };
  const one = key(999_999);
  const placed = await Promise.all(bases.map((base) => place(base, filled, one).catch(() => ({ status: 0 }))));
  return { ...summary(placed.map((p) => p.status)), statuses: placed.map((p) => p.status), email: filled.email };
}

async function across(bases) {
  // Details on the first instance, delivery on the second, the order placed on the third.
  const filled = await fill(2_000_000 + process.pid % 1000, bases[0], bases[1 % bases.length]);
  if (filled.error) return { error: filled.error };
  const placed = await place(bases[2 % bases.length], filled, key(888_888));
  return { status: placed.status, email: filled.email };
}

/** Staff change a price on the first instance (a one-row CSV import); how long until the
 *  second instance's product page shows it. */
async function staffEdit(sku, slug, price, email, password, bases) {
  const [a, b] = bases;
  const signIn = await fetch(a + '/api/account/sign-in', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: a, 'sec-fetch-site': 'same-origin', referer: a + '/account/sign-in' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const session = cookieOf(signIn, 'comptoir_session');
  if (!session) return { error: `sign-in ${signIn.status}` };
  const shown = price.replace('.', ',');
  const page = async () => (await (await fetch(`${b}/products/${slug}`)).text()).includes(shown);
  if (await page()) return { error: `the page already shows ${shown}` };
  const csv = `sku;price\n${sku};${shown}\n`;
  const { createHash } = await import('node:crypto');
  const sha = createHash('sha256').update(csv).digest('hex');
  const form = new FormData();
  form.append('mode', 'apply');
  form.append('checked', sha);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'prix.csv');
  const upload = await fetch(a + '/admin/products/import/upload', {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `comptoir_session=${session}`, origin: a, 'sec-fetch-site': 'same-origin' },
    body: form,
  });
  const saved = performance.now();
  if (upload.status !== 303) return { error: `import ${upload.status}` };
  while (performance.now() - saved < 30_000) {
    if (await page()) return { ms: Math.round(performance.now() - saved) };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { error: 'not shown after 30 s' };
}

/** Pages requested by `concurrency` visitors for `seconds`, spread as a load balancer does:
 *  only over instances whose /healthz answered 200 within the last 200 ms, a connection
 *  refused tried again on another (as `proxy_next_upstream error` does). Each request on a
 *  connection of its own, so its fate is plain: answered, or dropped once it reached an
 *  instance. */
async function load(seconds, concurrency, bases) {
  const paths = ['/', '/products', '/products/magnesium-marin-b6', '/products?q=vitamine', '/articles'];
  const counts = { ok: 0, http5xx: 0, http4xx: 0, refused: 0, dropped: 0 };
  const dropped = [];
  const ms = [];
  const end = performance.now() + seconds * 1000;
  const healthy = bases.map(() => true);
  const poll = setInterval(() => {
    bases.forEach((base, i) => {
      fetch(base + '/healthz', { signal: AbortSignal.timeout(1_000) })
        .then(async (r) => {
          await r.arrayBuffer();
          healthy[i] = r.status === 200;
        })
        .catch(() => {
          healthy[i] = false;
        });
    });
  }, 200);
  let n = 0;
  const pick = (i, avoid) => {
    const up = bases.filter((b, k) => healthy[k] && b !== avoid);
    const pool = up.length ? up : bases.filter((b) => b !== avoid);
    return pool[i % pool.length];
  };
  async function visitor() {
    while (performance.now() < end) {
      const i = n++;
      const path = paths[i % paths.length];
      let base = pick(i);
      const started = performance.now();
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const response = await fetch(base + path, { headers: { connection: 'close' }, signal: AbortSignal.timeout(15_000) });
          await response.arrayBuffer();
          ms.push(performance.now() - started);
          if (response.status >= 500) counts.http5xx++;
          else if (response.status >= 400) counts.http4xx++;
          else counts.ok++;
          break;
        } catch (error) {
          const code = error.cause?.code ?? error.name;
          if (code === 'ECONNREFUSED' && attempt < 2) {
            counts.refused++;
            base = pick(i + 1, base);
            continue;
          }
          counts.dropped++;
          if (dropped.length < 3) dropped.push(`${base}${path} ${code}`);
          break;
        }
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, visitor));
  clearInterval(poll);
  ms.sort((a, b) => a - b);
  const at = (q) => Math.round(ms[Math.floor(ms.length * q)] ?? 0);
  return { ...counts, p50_ms: at(0.5), p99_ms: at(0.99), examples: dropped };
}

/** Checkouts without pause for `seconds` by `concurrency` buyers, each step on another
 *  instance; an instance killed meanwhile fails some of them, which is the point. */
async function stream(seconds, concurrency, bases) {
  const counts = { placed: 0, refused: 0, failed: 0 };
  const end = performance.now() + seconds * 1000;
  let n = 3_000_000 + (process.pid % 1000) * 1000;
  async function buyer() {
    while (performance.now() < end) {
      const i = n++;
      try {
        const filled = await fill(i, bases[i % bases.length], bases[(i + 1) % bases.length]);
        if (filled.error) {
          counts.failed++;
          continue;
        }
        const placed = await place(bases[(i + 2) % bases.length], filled, key(i));
        if (placed.status >= 200 && placed.status < 300) counts.placed++;
        else if (placed.status >= 400 && placed.status < 500) counts.refused++;
        else counts.failed++;
      } catch {
        counts.failed++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, buyer));
  return counts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Card checkouts without pause for `seconds` by `concurrency` buyers, each paid on the demo
 *  provider's page: details, delivery, the order and the payment each on another instance
 *  (an instance killed meanwhile fails some of them, which is the point). */
async function payStream(seconds, concurrency, bases) {
  const counts = { placed: 0, paid: 0, refused: 0, failed: 0 };
  const end = performance.now() + seconds * 1000;
  const at = (i) => bases[i % bases.length];
  let n = 4_000_000 + (process.pid % 1000) * 1000;
  async function buyer() {
    while (performance.now() < end) {
      const i = n++;
      try {
        const filled = await fill(i, at(i), at(i + 1), { method: 'card' });
        if (filled.error) {
          counts.failed++;
          continue;
        }
        const placed = await place(at(i + 2), filled, key(i));
        if (placed.status >= 400 && placed.status < 500) {
          counts.refused++;
          continue;
        }
        if (placed.status >= 300 || !placed.location.includes('/pay/demo/')) {
          counts.failed++;
          continue;
        }
        counts.placed++;
        if (await payOnDemo(at(i), placed.location, filled.client)) counts.paid++;
        else counts.failed++;
      } catch {
        counts.failed++;
        await sleep(50);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, buyer));
  return { ...counts, http5xx: seen.http5xx, prefix: `faults-${process.pid}-` };
}

const PASSWORD = 'Un-abonnement-bien-pense';

/** `accounts` customers each sign up, confirm their address by the emailed link (read from the
 *  outbox in FAULTS_DB) and subscribe monthly to two boxes, paid by card on the demo page;
 *  each step on another instance. */
async function subscribe(accounts, bases) {
  const { execFileSync } = await import('node:child_process');
  const at = (i) => bases[i % bases.length];
  const token = (email) => {
    const body = execFileSync('psql', [
      '-qtA',
      process.env.FAULTS_DB,
      '-c',
      `SELECT body_text FROM email_outbox WHERE to_address = '${email}' AND kind = 'account_verify' ORDER BY id DESC LIMIT 1`,
    ]).toString();
    return body.match(/token=(\S+)/)?.[1];
  };
  const one = async (k) => {
    const n = 5_000_000 + (process.pid % 1000) * 100 + k;
    const client = clientOf(n);
    const email = `faults-sub-${process.pid}-${k}@exemple.fr`;
    const signUp = await post(at(k), '/api/account/sign-up', { email, password: PASSWORD, first_name: 'Camille', last_name: 'Martin' }, '', client);
    if (signUp.response.status < 300 || signUp.response.status >= 400) return `sign-up ${signUp.response.status}`;
    const link = token(email);
    if (!link) return 'no confirmation email';
    const confirm = await post(at(k + 1), '/api/account/confirm-email', { token: link }, '', client);
    const session = cookieOf(confirm.response, 'comptoir_session');
    if (!session) return `confirm ${confirm.response.status}`;
    const filled = await fill(n, at(k + 1), at(k + 2), { method: 'card', session, email, quantity: 2, every: 1 });
    if (filled.error) return filled.error;
    const placed = await place(at(k + 2), filled, key(n));
    if (!placed.location.includes('/pay/demo/')) return `place ${placed.status} ${placed.location}`;
    return (await payOnDemo(at(k), placed.location, client)) ? null : 'payment refused';
  };
  const errors = (await Promise.all(Array.from({ length: accounts }, (_, k) => one(k).catch((e) => `${e}`)))).filter(Boolean);
  return { subscribed: accounts - errors.length, errors: errors.slice(0, 3), prefix: `faults-sub-${process.pid}-` };
}

/** A deterministic pseudo-random sequence (the same mix on every run). */
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** `seconds` of mixed traffic by `concurrency` visitors over the instances in turn (kept-alive
 *  connections, as a balancer's): 80 % pages and searches, 15 % cart quotes, 5 % whole card
 *  checkouts paid on the demo page. Latency per kind (a checkout: its four requests). */
async function mixed(seconds, concurrency, bases) {
  const list = (name) => (process.env[name] ?? '').split(',').filter(Boolean);
  const slugs = list('FAULTS_SLUGS');
  const articles = list('FAULTS_ARTICLES');
  const ids = list('FAULTS_PRODUCT_IDS').map(Number);
  const words = ['vitamine', 'magnesium', 'creme', 'sommeil', 'omega', 'zinc', 'huile', 'the'];
  const ms = { browse: [], quote: [], checkout: [] };
  const counts = { browse: 0, quote: 0, checkout: 0, paid: 0, http4xx: 0, dropped: 0, checkout_failed: 0 };
  const examples = [];
  const end = performance.now() + seconds * 1000;
  let turn = 0;
  let buyers = 6_000_000 + (process.pid % 1000) * 10_000;
  async function visitor(v) {
    const next = random(v * 7919 + 17);
    const pick = (items) => items[Math.floor(next() * items.length)];
    while (performance.now() < end) {
      const base = bases[turn++ % bases.length];
      const roll = next();
      const started = performance.now();
      try {
        if (roll < 0.8) {
          const path = pick([
            '/',
            '/products',
            `/products/${pick(slugs)}`,
            `/products/${pick(slugs)}`,
            `/products/${pick(slugs)}`,
            `/products?q=${pick(words)}`,
            '/articles',
            `/articles/${pick(articles)}`,
          ]);
          const response = await fetch(base + path, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(30_000) });
          await response.arrayBuffer();
          if (response.status >= 500) seen.http5xx++;
          else if (response.status >= 400) counts.http4xx++;
          counts.browse++;
          ms.browse.push(performance.now() - started);
        } else if (roll < 0.95) {
          const lines = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({ product_id: pick(ids), quantity: 1 + Math.floor(next() * 3) }));
          const unique = [...new Map(lines.map((l) => [l.product_id, l])).values()];
          const response = await fetch(base + '/api/cart/quote', {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', origin: base },
            body: JSON.stringify({ lines: unique, destination: 'FR', locale: 'Fr' }),
            signal: AbortSignal.timeout(30_000),
          });
          await response.arrayBuffer();
          if (response.status >= 500) seen.http5xx++;
          else if (response.status >= 400) counts.http4xx++;
          counts.quote++;
          ms.quote.push(performance.now() - started);
        } else {
          const i = buyers++;
          const at = (k) => bases[(turn + k) % bases.length];
          const filled = await fill(i, at(0), at(1), { method: 'card' });
          const placed = filled.error ? null : await place(at(2), filled, key(i));
          const paid = placed?.location.includes('/pay/demo/') && (await payOnDemo(at(0), placed.location, filled.client));
          counts.checkout++;
          if (paid) {
            counts.paid++;
            ms.checkout.push(performance.now() - started);
          } else {
            counts.checkout_failed++;
            if (examples.length < 3) examples.push(filled.error ?? `place ${placed?.status} ${placed?.location}`);
          }
        }
      } catch (error) {
        counts.dropped++;
        if (examples.length < 3) examples.push(`${error.cause?.code ?? error.name}`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, v) => visitor(v)));
  const stats = (values) => {
    values.sort((a, b) => a - b);
    const q = (p) => Math.round(values[Math.floor(values.length * p)] ?? 0);
    return { n: values.length, p50_ms: q(0.5), p99_ms: q(0.99) };
  };
  return {
    ...counts,
    http5xx: seen.http5xx,
    browse_ms: stats(ms.browse),
    quote_ms: stats(ms.quote),
    checkout_ms: stats(ms.checkout),
    per_second: Math.round((counts.browse + counts.quote + counts.checkout) / seconds),
    examples,
  };
}

/** The order's number and access key in a link to its page or its payment hand-off page. */
function orderOf(location) {
  const match = location.match(/\/orders\/([^/?]+)(?:\/pay)?\?key=([^&]+)/);
  return match ? { number: match[1], key: match[2] } : null;
}

/** `buyers` card checkouts placed at once while the provider is slow or down: each answer
 *  (the order's page when the payment could not start) and its order. */
async function providerPlace(buyers, bases) {
  const at = (i) => bases[i % bases.length];
  const base = 7_000_000 + (process.pid % 1000) * 1000 + Math.floor(Math.random() * 500);
  const results = await Promise.all(
    Array.from({ length: buyers }, async (_, k) => {
      const i = base + k;
      const filled = await fill(i, at(k), at(k + 1), { method: 'card' });
      if (filled.error) return { error: filled.error };
      const placed = await place(at(k + 2), filled, key(i));
      return { status: placed.status, ms: placed.ms, order: orderOf(placed.location), location: placed.location };
    }),
  );
  const orders = results.map((r) => r.order).filter(Boolean);
  return {
    answered: results.filter((r) => r.status >= 200 && r.status < 400).length,
    http5xx: seen.http5xx,
    slowest_ms: Math.round(Math.max(0, ...results.map((r) => r.ms ?? 0))),
    errors: results.filter((r) => r.error || !r.order).map((r) => r.error ?? r.location).slice(0, 3),
    orders,
  };
}

/** The orders in `file` (from provider-place) paid at the provider while its API is down:
 *  the shop's hand-off page gives each its payment (the API up), then the fake Mollie at
 *  FAULTS_FAKE answers 503 to every API call while the shoppers pay on its hosted pages, so
 *  the notifications cannot be checked; then the API comes back. */
async function providerPay(file, bases) {
  const { readFileSync } = await import('node:fs');
  const orders = JSON.parse(readFileSync(file, 'utf8'));
  const fake = process.env.FAULTS_FAKE;
  // "Pay now" on the order's page (a form), then the hand-off page it leads to.
  const links = await Promise.all(
    orders.map(async (order, k) => {
      const base = bases[k % bases.length];
      const { response } = await post(base, '/api/orders/pay', { number: order.number, key: order.key }, '', clientOf(8_000_000 + k));
      const handoff = response.headers.get('location');
      if (!handoff) return null;
      const html = await (await fetch(base + handoff, { headers: { accept: 'text/html' } })).text();
      return html.match(/https?:\/\/[^"'\s<>]+\/checkout\/(tr_[A-Za-z0-9]+)/)?.[0] ?? null;
    }),
  );
  const mode = (fields) => fetch(`${fake}/_fake/mollie`, { method: 'POST', body: new URLSearchParams(fields) }).then((r) => r.text());
  await mode({ outage: '503' });
  let paid = 0;
  for (const link of links.filter(Boolean)) {
    const response = await fetch(link, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ status: 'paid' }) });
    await response.arrayBuffer();
    if (response.status >= 300 && response.status < 400) paid++;
  }
  await sleep(5_000);
  await mode({ outage: '0' });
  return { links: links.filter(Boolean).length, paid_at_provider: paid, http5xx: seen.http5xx };
}

let result;
switch (scenario) {
  case 'stream':
    result = await stream(Number(rest[0]), Number(rest[1]), rest.slice(2));
    break;
  case 'load':
    result = await load(Number(productId), Number(rest[0]), rest.slice(1));
    break;
  case 'staff-edit':
    result = await staffEdit(productId, ...rest.slice(0, 4), rest.slice(4));
    break;
  case 'pay-stream':
    result = await payStream(Number(rest[0]), Number(rest[1]), rest.slice(2));
    break;
  case 'subscribe':
    result = await subscribe(Number(rest[0]), rest.slice(1));
    break;
  case 'mixed':
    result = await mixed(Number(rest[0]), Number(rest[1]), rest.slice(2));
    break;
  case 'provider-place':
    result = await providerPlace(Number(rest[0]), rest.slice(1));
    break;
  case 'provider-pay':
    result = await providerPay(productId, rest);
    break;
  case 'race':
    result = await race(Number(rest[0]), rest.slice(1));
    break;
  case 'idempotency':
    result = await idempotency(rest);
    break;
  case 'across':
    result = await across(rest);
    break;
  default:
    console.error(`unknown scenario ${scenario}`);
    process.exit(2);
}
console.log(JSON.stringify(result));
