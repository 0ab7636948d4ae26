// Drives several instances of the shop as real shoppers do, for scripts/faults.sh.
//   node end2end/faults/driver.mjs race <product id> <buyers> <base URL>...
//   node end2end/faults/driver.mjs idempotency <product id> <base URL>...
//   node end2end/faults/driver.mjs across <product id> <base URL>...
//   node end2end/faults/driver.mjs stream <product id> <seconds> <concurrency> <base URL>...
//   node end2end/faults/driver.mjs load <seconds> <concurrency> <base URL>...
//   node end2end/faults/driver.mjs staff-edit <sku> <slug> <price> <staff email> <password> <base URL>...
// Each shopper comes from an address of its own (X-Forwarded-For, the instances trust
// 127.0.0.1 as their proxy), as buyers behind a load balancer do. Prints one JSON line.

const [scenario, productId, ...rest] = process.argv.slice(2);

const TERMS_VERSION = process.env.FAULTS_TERMS_VERSION ?? '';

/** A client address of its own for shopper `n`. */
const clientOf = (n) => `198.18.${(n >> 8) & 0xff}.${n & 0xff}`;

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
  return { response, ms: performance.now() - started };
}

/** The checkout's details then delivery steps for shopper `n`, on `detailsOn` and `deliveryOn`. */
async function fill(n, detailsOn, deliveryOn, quantity = 1) {
  const client = clientOf(n);
  const cart = `comptoir_cart=FR~${productId}x${quantity}`;
  const fields = {
    'details[email]': `faults-${process.pid}-${n}@exemple.fr`,
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
  const details = await post(detailsOn, '/api/checkout/details', fields, cart, client);
  const session = cookieOf(details.response, 'comptoir_session');
  if (details.response.headers.get('location') !== '/checkout?step=delivery' || !session) {
    return { error: `details ${details.response.status} ${details.response.headers.get('location')}` };
  }
  const cookies = `${cart}; comptoir_session=${session}`;
  const delivery = await post(deliveryOn, '/api/checkout/delivery', { payment_method: 'bank_transfer' }, cookies, client);
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
  return { status: response.status, ms };
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
