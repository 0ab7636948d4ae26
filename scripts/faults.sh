#!/usr/bin/env bash
# Several instances of the shop on one PostgreSQL, driven as a load balancer would spread
# shoppers over them (issue 34). Prints a table: scenario, expected, observed; exits non-zero
# when a row does not hold. A benchmark-style layer, not part of scripts/test.sh.
#
#   scripts/faults.sh                         release build, then every scenario
#   FAULTS_SKIP_BUILD=1 scripts/faults.sh     the last build
#   FAULTS_PROFILE=debug scripts/faults.sh    the debug server (cargo leptos build), quicker to make
#
# Scenarios: 200 buyers racing for the last 20 units over the three, one idempotency key sent
# to the three at once, a checkout moving between instances, a staff edit reaching the others,
# the outbox sent by three workers, the mail relay down then back, the database stopped for
# 20 s, a rolling restart under load, kill -9 amid checkouts, kill -9 amid card payments
# (counted after the sweeps had time to finish them), the subscription worker on the three at a
# renewal, a sustained mixed load (FAULTS_LOAD_SECONDS, 600 by default) with each instance's
# memory and the database connections watched, and the payment provider (the fake Mollie of
# `server/examples/fake_providers.rs`) slow beyond the timeout, then down.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WANT_POSTGRES=1 WANT_BROWSER=0 source scripts/bootstrap.sh
export LEPTOS_OUTPUT_NAME=comptoir
PROFILE="${FAULTS_PROFILE:-release}"
if [ "${FAULTS_SKIP_BUILD:-0}" != 1 ]; then
  if [ "$PROFILE" = release ]; then cargo leptos build --release; else cargo leptos build; fi
fi
SERVER="$CARGO_TARGET_DIR/$PROFILE/server"
# The payment provider's fake (its speed does not matter: a debug build, as the browser tests').
if [ "${FAULTS_SKIP_BUILD:-0}" != 1 ]; then
  cargo build -p app -p server --features app/ssr --example fake_providers
fi
FAKE_BIN="$CARGO_TARGET_DIR/debug/examples/fake_providers"
LOAD_SECONDS="${FAULTS_LOAD_SECONDS:-600}"
PORTS=(3501 3502 3503)
BASES=()
for port in "${PORTS[@]}"; do BASES+=("http://127.0.0.1:$port"); done
TERMS_VERSION=$(sed -n 's/^pub const TERMS_VERSION: &str = "\(.*\)";/\1/p' app/src/orders/rules/mod.rs)
export FAULTS_TERMS_VERSION="$TERMS_VERSION"
WORK=$(mktemp -d /tmp/comptoir-faults.XXXXXX)
PIDS=()
PG_DIR=""
cleanup() {
  [ -n "${SINK:-}" ] && kill "$SINK" 2>/dev/null
  [ -n "${FAKE:-}" ] && kill "$FAKE" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$PG_DIR" ] && scripts/pg.sh stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

eval "$(scripts/pg.sh start)"
PG_DIR="$PG_TMP_DIR"
DB="$TEST_POSTGRES_URL"
sql() { psql -qtA "$DB" -c "$1"; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${DB##*:}
PG_PORT=${PG_PORT%%/*}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null; }
pg_start() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
}

# The mail relay: a sink that notes each message's recipients.
SMTP_PORT=3525
MAIL_LOG="$WORK/mail.log"
: >"$MAIL_LOG"
SINK=""
sink_start() {
  python3 end2end/faults/smtp_sink.py "$SMTP_PORT" "$MAIL_LOG" &
  SINK=$!
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && return 0; sleep 0.1; done
}
sink_stop() {
  if [ -n "$SINK" ]; then kill "$SINK" 2>/dev/null || true; wait "$SINK" 2>/dev/null || true; fi
  SINK=""
}
sink_start

# The payment provider (Mollie's fake), used from the last scenario on.
FAKE_PORT=3590
FAKE_URL="http://127.0.0.1:$FAKE_PORT"
"$FAKE_BIN" "127.0.0.1:$FAKE_PORT" >"$WORK/fake.log" 2>&1 &
FAKE=$!
MOLLIE_KEY=test_fakeMollieKey0123456789abcd
# Extra settings of the instances started from now on (the provider, in the last scenario).
EXTRA_ENV=()

# Starts instance $1 (an index into PORTS); waits until it answers.
start_instance() {
  local i="$1" port="${PORTS[$1]}"
  env "${EXTRA_ENV[@]}" DATABASE_URL="$DB" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD RUST_LOG=warn,server::orders=info APP__DEMO_PAYMENTS=true \
    APP__PAYMENT_MINUTES=5 APP__PAYMENT_TIMEOUT_SECONDS=2 \
    APP__PUBLIC_URL="http://127.0.0.1:$port" APP__TRUSTED_PROXIES=127.0.0.1 \
    APP__DB_MAX_CONNECTIONS=16 APP__MEDIA_DIR="$WORK/media" \
    APP__SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" APP__SHUTDOWN_DRAIN_SECONDS=2 \
    "$SERVER" serve --no-seed >>"$WORK/instance-$i.log" 2>&1 &
  PIDS[i]=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "instance $i did not start:" >&2
  tail -20 "$WORK/instance-$i.log" >&2
  exit 1
}

DATABASE_URL="$DB" RUST_LOG=warn "$SERVER" seed >/dev/null
# The first migrates (already done by the seed) and serves; the others join the same database.
for i in 0 1 2; do start_instance "$i"; done

ROWS=()
FAILED=0
row() { # scenario, expected, observed, holds (0/1)
  ROWS+=("$(printf '| %-52s | %-34s | %-44s | %s |' "$1" "$2" "$3" "$([ "$4" = 1 ] && echo ok || echo FAILED)")")
  [ "$4" = 1 ] || FAILED=1
}
json() { node -e "const r = JSON.parse(process.argv[1]); console.log(r.$2 ?? '')" "$1"; }

# 1. 200 buyers racing for the last 20 units across the three instances.
PRODUCT=$(sql "SELECT id FROM products WHERE slug = 'magnesium-marin-b6'")
sql "UPDATE products SET stock = 20 WHERE id = $PRODUCT"
BEFORE=$(sql "SELECT count(*) FROM order_lines WHERE product_id = $PRODUCT")
RACE=$(node end2end/faults/driver.mjs race "$PRODUCT" 200 "${BASES[@]}")
ORDERS=$(( $(sql "SELECT count(*) FROM order_lines WHERE product_id = $PRODUCT") - BEFORE ))
STOCK=$(sql "SELECT stock FROM products WHERE id = $PRODUCT")
ERRORS=$(json "$RACE" errors)
row "200 buyers race for the last 20 units (3 instances)" "20 orders, stock 0, no 5xx" \
  "$ORDERS orders, stock $STOCK, $(json "$RACE" refused) refused, $ERRORS 5xx" \
  "$([ "$ORDERS" = 20 ] && [ "$STOCK" = 0 ] && [ "$ERRORS" = 0 ] && echo 1 || echo 0)"

# 2. One idempotency key sent to the three at once.
sql "UPDATE products SET stock = 50 WHERE id = $PRODUCT"
ONE=$(node end2end/faults/driver.mjs idempotency "$PRODUCT" "${BASES[@]}")
EMAIL=$(json "$ONE" email)
COUNT=$(sql "SELECT count(*) FROM orders WHERE email = '$EMAIL'")
row "one idempotency key sent to the three at once" "1 order, no 5xx" \
  "$COUNT order(s), answers $(json "$ONE" "statuses.join(' ')")" \
  "$([ "$COUNT" = 1 ] && [ "$(json "$ONE" errors)" = 0 ] && echo 1 || echo 0)"

# 3. A checkout begun on one instance, continued on a second, placed on the third.
ACROSS=$(node end2end/faults/driver.mjs across "$PRODUCT" "${BASES[@]}")
EMAIL=$(json "$ACROSS" email)
COUNT=$(sql "SELECT count(*) FROM orders WHERE email = '$EMAIL'")
row "session and cart made on one, used on the others" "1 order" \
  "$COUNT order(s), place answered $(json "$ACROSS" status)" \
  "$([ "$COUNT" = 1 ] && echo 1 || echo 0)"

# 4. A staff edit on one instance, seen on another within the bound the caches state
#    (APP__CONTENT_CHECK_MS, 1 s by default).
STAFF_EMAIL=faults-staff@exemple.fr
STAFF_PASSWORD=Quatre-chemins-sous-la-pluie
DATABASE_URL="$DB" ADMIN_PASSWORD="$STAFF_PASSWORD" RUST_LOG=warn "$SERVER" create-admin \
  --email "$STAFF_EMAIL" --first-name Equipe --last-name Pannes >/dev/null
SKU=$(sql "SELECT sku FROM products WHERE slug = 'magnesium-marin-b6'")
EDIT=$(node end2end/faults/driver.mjs staff-edit "$SKU" magnesium-marin-b6 17.35 "$STAFF_EMAIL" "$STAFF_PASSWORD" "${BASES[0]}" "${BASES[1]}")
SEEN=$(json "$EDIT" ms)
row "a staff edit on one, seen on another" "within 1,000 ms (+ the page's time)" \
  "${SEEN:+after $SEEN ms}$(json "$EDIT" error)" \
  "$([ -n "$SEEN" ] && [ "$SEEN" -le 1500 ] && echo 1 || echo 0)"

# Waits (at most $1 seconds) until the outbox has nothing left to send; prints the seconds.
drain() {
  local start=$SECONDS
  while [ "$(sql "SELECT count(*) FROM email_outbox WHERE sent_at IS NULL AND attempts < 8")" != 0 ]; do
    [ $((SECONDS - start)) -ge "$1" ] && break
    sleep 1
  done
  echo $((SECONDS - start))
}
# Compares the outbox's sent emails with what the relay received, per recipient: prints
# "sent received twice missing".
mail_balance() {
  sql "SELECT to_address FROM email_outbox WHERE sent_at IS NOT NULL" >"$WORK/sent.txt"
  python3 - "$WORK/sent.txt" "$MAIL_LOG" <<'PY'
import collections, sys
sent = collections.Counter(l.strip() for l in open(sys.argv[1]) if l.strip())
got = collections.Counter(r for l in open(sys.argv[2]) for r in l.split())
twice = sum(max(0, got[a] - sent[a]) for a in got)
missing = sum(max(0, sent[a] - got[a]) for a in sent)
print(sum(sent.values()), sum(got.values()), twice, missing)
PY
}

# 5. The outbox, sent by the three instances' workers at once: every email exactly once.
WAITED=$(drain 120)
read -r SENT GOT TWICE MISSING < <(mail_balance)
row "outbox sent by three workers at once" "every email once (none twice, none lost)" \
  "$SENT sent, $GOT received, $TWICE twice, $MISSING missing" \
  "$([ "$SENT" -gt 0 ] && [ "$TWICE" = 0 ] && [ "$MISSING" = 0 ] && [ "$(sql "SELECT count(*) FROM email_outbox WHERE sent_at IS NULL")" = 0 ] && echo 1 || echo 0)"

# 6. The relay down while orders are placed: the emails wait, then go out once it is back.
sink_stop
for _ in 1 2 3 4 5; do node end2end/faults/driver.mjs across "$PRODUCT" "${BASES[@]}" >/dev/null; done
sleep 3
WAITING=$(sql "SELECT count(*) FROM email_outbox WHERE sent_at IS NULL")
sleep 7
sink_start
WAITED=$(drain 180)
read -r SENT GOT TWICE MISSING < <(mail_balance)
row "relay down for 10 s, then back" "emails wait, then each goes once" \
  "$WAITING waited; after ${WAITED} s $TWICE twice, $MISSING missing" \
  "$([ "$WAITING" -gt 0 ] && [ "$TWICE" = 0 ] && [ "$MISSING" = 0 ] && [ "$(sql "SELECT count(*) FROM email_outbox WHERE sent_at IS NULL")" = 0 ] && echo 1 || echo 0)"

# 7. The database stopped for 20 s under a light load: /healthz says 503, pages answer within
#    the timeout without leaking an error's details, and every instance comes back by itself.
node end2end/faults/driver.mjs load 30 4 "${BASES[@]}" >"$WORK/load-db.json" &
LOAD=$!
sleep 2
pg_stop
DOWN_CODES="$WORK/down.txt"
: >"$DOWN_CODES"
LEAKS=0
for _ in $(seq 1 8); do
  for base in "${BASES[@]}"; do
    curl -s -o /dev/null -m 15 -w '%{http_code} %{time_total}\n' "$base/healthz" >>"$DOWN_CODES" || echo "000 15" >>"$DOWN_CODES"
    body=$(curl -s -m 15 "$base/cart" || true)
    if grep -qiE 'sqlx|DbErr|error returned from|PoolTimedOut|connection refused|postgres' <<<"$body"; then LEAKS=$((LEAKS + 1)); fi
  done
  sleep 2
done
HEALTH_503=$(awk '$1 == 503' "$DOWN_CODES" | wc -l)
HEALTH_ALL=$(wc -l <"$DOWN_CODES")
SLOWEST=$(awk 'BEGIN { m = 0 } { if ($2 > m) m = $2 } END { printf "%.1f", m }' "$DOWN_CODES")
sleep 2
pg_start
UP=$SECONDS
BACK=()
for base in "${BASES[@]}"; do
  until curl -fs -m 5 "$base/healthz" >/dev/null; do
    [ $((SECONDS - UP)) -ge 60 ] && break
    sleep 0.2
  done
  BACK+=($((SECONDS - UP)))
done
wait "$LOAD" || true
LATEST=$(printf '%s\n' "${BACK[@]}" | sort -n | tail -1)
row "database stopped 20 s (healthz, then recovery)" "503 while down; back within 10 s" \
  "$HEALTH_503/$HEALTH_ALL healthz 503 (slowest ${SLOWEST} s); back after ${LATEST} s" \
  "$([ "$HEALTH_503" = "$HEALTH_ALL" ] && [ "$LATEST" -le 10 ] && echo 1 || echo 0)"
row "database stopped: pages while down" "no error details leaked" "$LEAKS leaks" \
  "$([ "$LEAKS" = 0 ] && echo 1 || echo 0)"

# 8. A rolling restart: each instance in turn stopped with SIGTERM under load, then started.
#    The driver balances as a load balancer does (healthy instances only, a refused
#    connection tried elsewhere); the instance fails its health check for 2 s before closing.
node end2end/faults/driver.mjs load 40 16 "${BASES[@]}" >"$WORK/load-roll.json" &
LOAD=$!
sleep 3
for i in 0 1 2; do
  kill -TERM "${PIDS[$i]}"
  wait "${PIDS[$i]}" 2>/dev/null || true
  start_instance "$i"
  sleep 3
done
wait "$LOAD" || true
ROLL=$(cat "$WORK/load-roll.json")
echo "rolling restart: $ROLL" >&2
row "rolling restart (SIGTERM) under 16 visitors" "no request dropped, no 5xx" \
  "$(json "$ROLL" ok) ok, $(json "$ROLL" dropped) dropped, $(json "$ROLL" http5xx) 5xx (p99 $(json "$ROLL" p99_ms) ms)" \
  "$([ "$(json "$ROLL" dropped)" = 0 ] && [ "$(json "$ROLL" http5xx)" = 0 ] && echo 1 || echo 0)"

# 9. kill -9 of an instance in the middle of checkouts, then a restart: every order whole
#    (lines written, stock taken) or absent, counted from the database afterwards.
sql "UPDATE products SET stock = 100000 WHERE id = $PRODUCT"
HELD_BEFORE=$(sql "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.product_id = $PRODUCT AND o.status <> 'cancelled'")
node end2end/faults/driver.mjs stream "$PRODUCT" 12 12 "${BASES[@]}" >"$WORK/stream.json" &
LOAD=$!
sleep 4
kill -9 "${PIDS[1]}"
wait "${PIDS[1]}" 2>/dev/null || true
sleep 2
start_instance 1
wait "$LOAD" || true
STREAM=$(cat "$WORK/stream.json")
HELD=$(( $(sql "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.product_id = $PRODUCT AND o.status <> 'cancelled'") - HELD_BEFORE ))
TAKEN=$(( 100000 - $(sql "SELECT stock FROM products WHERE id = $PRODUCT") ))
EMPTY=$(sql "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)")
row "kill -9 of an instance amid checkouts, restart" "stock taken = lines ordered; no empty order" \
  "$(json "$STREAM" placed) placed, $(json "$STREAM" failed) failed; taken $TAKEN, ordered $HELD, $EMPTY empty" \
  "$([ "$TAKEN" = "$HELD" ] && [ "$EMPTY" = 0 ] && [ "$(json "$STREAM" placed)" -gt 0 ] && echo 1 || echo 0)"

# 10. kill -9 of an instance amid card payments by the demo provider (its page, then its
#     notification to the instance that made the payment, as to a balancer's address), then a
#     restart. Counted after the sustained load below, when the sweeps have had time: open
#     payments are asked about after 2 minutes, unpaid orders cancelled after 5.
CARD=$(sql "SELECT id FROM products WHERE slug = 'spiruline-bio'")
sql "UPDATE products SET stock = 100000 WHERE id = $CARD"
node end2end/faults/driver.mjs pay-stream "$CARD" 12 12 "${BASES[@]}" >"$WORK/pay.json" &
LOAD=$!
sleep 4
kill -9 "${PIDS[2]}"
wait "${PIDS[2]}" 2>/dev/null || true
sleep 2
start_instance 2
wait "$LOAD" || true
PAY=$(cat "$WORK/pay.json")
echo "card payments: $PAY" >&2
PAY_PREFIX=$(json "$PAY" prefix)
PAY_ENDED=$SECONDS

# 11. The subscription worker on the three at a renewal: six customers subscribe monthly (paid
#     by card on the demo page), then their subscriptions are moved back a month, so this
#     month's delivery is due (its cut-off passed); each instance's worker runs every minute,
#     during the load below.
SUBS=$(FAULTS_DB="$DB" node end2end/faults/driver.mjs subscribe "$PRODUCT" 6 "${BASES[@]}")
echo "subscriptions: $SUBS" >&2
SUB_PREFIX=$(json "$SUBS" prefix)
SUB_IDS="SELECT s.id FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email LIKE '$SUB_PREFIX%'"
for _ in $(seq 1 50); do [ "$(sql "SELECT count(*) FROM ($SUB_IDS) x")" -ge 6 ] && break; sleep 0.2; done
SUB_COUNT=$(sql "SELECT count(*) FROM ($SUB_IDS) x")
sql "UPDATE subscriptions SET anchor_on = (anchor_on - interval '1 month')::date,
       last_period_on = (last_period_on - interval '1 month')::date,
       next_delivery_on = (next_delivery_on - interval '1 month')::date
     WHERE id IN ($SUB_IDS)"
PERIOD=$(sql "SELECT DISTINCT next_delivery_on FROM subscriptions WHERE id IN ($SUB_IDS)")

# 12. The sustained mixed load: 64 visitors over the three for LOAD_SECONDS (80 % pages and
#     searches, 15 % cart quotes, 5 % card checkouts paid on the demo page); each instance's
#     resident memory at minute 2 and at the end, the database's client connections every 5 s
#     (autovacuum's workers, which also show in pg_stat_activity, are not the pools').
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
export FAULTS_SLUGS FAULTS_ARTICLES FAULTS_PRODUCT_IDS
FAULTS_SLUGS=$(sql "SELECT string_agg(slug, ',') FROM products WHERE status = 'active' AND variant_of IS NULL")
FAULTS_ARTICLES=$(sql "SELECT string_agg(slug, ',') FROM articles WHERE status = 'published'")
FAULTS_PRODUCT_IDS=$(sql "SELECT string_agg(id::text, ',') FROM products WHERE status = 'active'")
node end2end/faults/driver.mjs mixed "$CARD" "$LOAD_SECONDS" 64 "${BASES[@]}" >"$WORK/mixed.json" &
LOAD=$!
LOAD_START=$SECONDS
RSS_2=()
MAX_CONN=0
while kill -0 "$LOAD" 2>/dev/null; do
  CONN=$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()" || echo 0)
  [ "$CONN" -gt "$MAX_CONN" ] && MAX_CONN=$CONN
  if [ ${#RSS_2[@]} = 0 ] && [ $((SECONDS - LOAD_START)) -ge $((LOAD_SECONDS / 5)) ]; then
    for pid in "${PIDS[@]}"; do RSS_2+=("$(rss "$pid")"); done
  fi
  RSS_END=()
  for pid in "${PIDS[@]}"; do RSS_END+=("$(rss "$pid")"); done
  sleep 5
done
wait "$LOAD" || true
MIXED=$(cat "$WORK/mixed.json")
echo "mixed load: $MIXED" >&2
row "mixed load ${LOAD_SECONDS} s, 64 visitors: 5xx / dropped" "0 5xx, none dropped" \
  "$(json "$MIXED" http5xx) 5xx, $(json "$MIXED" dropped) dropped, $(json "$MIXED" per_second) req/s" \
  "$([ "$(json "$MIXED" http5xx)" = 0 ] && [ "$(json "$MIXED" dropped)" = 0 ] && echo 1 || echo 0)"
for kind in browse quote; do
  row "mixed load: $kind (p50 / p99)" "reported" \
    "$(json "$MIXED" "${kind}_ms.n") done, $(json "$MIXED" "${kind}_ms.p50_ms") / $(json "$MIXED" "${kind}_ms.p99_ms") ms" \
    "$([ "$(json "$MIXED" "${kind}_ms.n")" -gt 0 ] && echo 1 || echo 0)"
done
row "mixed load: card checkout, 4 requests (p50 / p99)" "every one paid; reported" \
  "$(json "$MIXED" checkout_ms.n) paid, $(json "$MIXED" checkout_failed) not; $(json "$MIXED" checkout_ms.p50_ms) / $(json "$MIXED" checkout_ms.p99_ms) ms" \
  "$([ "$(json "$MIXED" checkout_ms.n)" -gt 0 ] && [ "$(json "$MIXED" checkout_failed)" = 0 ] && echo 1 || echo 0)"
MEMORY=$(python3 - "${RSS_2[*]}" "${RSS_END[*]}" <<'PY'
import sys
early = [int(x) for x in sys.argv[1].split()]
late = [int(x) for x in sys.argv[2].split()]
growth = [100 * (b - a) / a for a, b in zip(early, late) if a > 0]
worst = max(growth, default=999.0)
mib = lambda values: " ".join(f"{v / 1024:.0f}" for v in values)
print(f"{mib(early)} -> {mib(late)} MiB (max {worst:+.1f} %)|{1 if len(growth) == 3 and worst <= 10 else 0}")
PY
)
row "memory: RSS at the end vs at a fifth of the load" "each within 10 %" "${MEMORY%|*}" "${MEMORY##*|}"
row "database connections under load" "at most 3 x 16 (the pools)" "at most $MAX_CONN" \
  "$([ "$MAX_CONN" -le 48 ] && echo 1 || echo 0)"

# The card payments of 10, after the sweeps: each order paid or cancelled, none left pending;
# no payment the provider took without its order paid; stock taken = quantities still ordered.
while [ $((SECONDS - PAY_ENDED)) -lt 400 ]; do sleep 5; done
PAY_ORDERS="SELECT id FROM orders WHERE email LIKE '$PAY_PREFIX%'"
read -r P_ALL P_PAID P_CANCELLED P_PENDING < <(sql "SELECT count(*), count(*) FILTER (WHERE status = 'paid'), count(*) FILTER (WHERE status = 'cancelled'), count(*) FILTER (WHERE status = 'pending_payment') FROM orders WHERE email LIKE '$PAY_PREFIX%'" | tr '|' ' ')
LOST=$(sql "SELECT count(*) FROM demo_payments d WHERE d.status = 'paid' AND NOT EXISTS (SELECT 1 FROM payments p JOIN orders o ON o.id = p.order_id
                  WHERE p.provider = 'demo' AND p.provider_ref = d.id AND o.status NOT IN ('pending_payment', 'cancelled'))")
C_HELD=$(sql "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.product_id = $CARD AND o.status <> 'cancelled'")
C_TAKEN=$(( 100000 - $(sql "SELECT stock FROM products WHERE id = $CARD") ))
row "kill -9 amid card payments, after the sweeps" "each paid or cancelled; no paid payment lost" \
  "$P_ALL orders ($(json "$PAY" paid) paid on the page): $P_PAID paid, $P_CANCELLED cancelled, $P_PENDING pending" \
  "$([ "$P_PENDING" = 0 ] && [ "$P_PAID" -ge "$(json "$PAY" paid)" ] && [ $((P_PAID + P_CANCELLED)) = "$P_ALL" ] && echo 1 || echo 0)"
row "card payments: provider vs orders, stock" "0 paid without its order; taken = ordered" \
  "$LOST paid without its order; taken $C_TAKEN, ordered $C_HELD" \
  "$([ "$LOST" = 0 ] && [ "$C_TAKEN" = "$C_HELD" ] && echo 1 || echo 0)"

# The renewals of 11: one order and one charge per subscription for the period, whichever
# instance's worker came first.
for _ in $(seq 1 40); do
  [ "$(sql "SELECT count(*) FROM orders WHERE subscription_id IN ($SUB_IDS) AND status = 'paid'")" -ge "$SUB_COUNT" ] && break
  sleep 5
done
read -r R_ORDERS R_PAID R_PERIODS < <(sql "SELECT count(*), count(*) FILTER (WHERE status = 'paid'), count(DISTINCT (subscription_id, period_on)) FROM orders WHERE subscription_id IN ($SUB_IDS)" | tr '|' ' ')
R_CHARGES=$(sql "SELECT count(*) FROM demo_payments d JOIN orders o ON d.description = 'Comptoir Botanique ' || o.number
  WHERE o.subscription_id IN ($SUB_IDS) AND d.status = 'paid'")
BY=$(grep -l "subscriptions renewed" "$WORK"/instance-*.log 2>/dev/null | sed 's/.*instance-\([0-9]\).log/\1/' | tr '\n' ' ')
row "subscription worker on the three at a renewal" "$SUB_COUNT/6 subscribed: 1 order + 1 charge each" \
  "$R_ORDERS orders, $R_PERIODS periods, $R_PAID paid, $R_CHARGES charges (by instance ${BY:-none})" \
  "$([ "$SUB_COUNT" = 6 ] && [ "$R_ORDERS" = 6 ] && [ "$R_PERIODS" = 6 ] && [ "$R_PAID" = 6 ] && [ "$R_CHARGES" = 6 ] && echo 1 || echo 0)"

# 13. The payment provider slow, then down. The three restart in turn with Mollie (its fake)
#     for one-off payments; 10 buyers order while each API call takes 4 s (beyond the 2 s
#     timeout; the fake still makes the payment), 10 while it answers 503. Every order is
#     written and payable; then the API is back, each shopper opens the payment page (the slow
#     ones get the payment made meanwhile: one key per attempt), the API goes down again while
#     they pay on its hosted page (the notifications cannot be checked), comes back after 5 s,
#     and the reconciliation sweep settles the orders.
EXTRA_ENV=(APP__MOLLIE_API_KEY="$MOLLIE_KEY" APP__MOLLIE_BASE_URL="$FAKE_URL/v2")
for i in 0 1 2; do
  kill -TERM "${PIDS[$i]}"
  wait "${PIDS[$i]}" 2>/dev/null || true
  start_instance "$i"
done
mollie() { curl -fs -X POST "$FAKE_URL/_fake/mollie" -d "$1" >/dev/null; }
mollie "delay_ms=4000&outage=0"
SLOW=$(node end2end/faults/driver.mjs provider-place "$CARD" 10 "${BASES[@]}")
mollie "delay_ms=0&outage=503"
DOWN=$(node end2end/faults/driver.mjs provider-place "$CARD" 10 "${BASES[@]}")
mollie "delay_ms=0&outage=0"
echo "provider slow: $SLOW" >&2
echo "provider down: $DOWN" >&2
node -e "const a = JSON.parse(process.argv[1]).orders, b = JSON.parse(process.argv[2]).orders; console.log(JSON.stringify([...a, ...b]))" "$SLOW" "$DOWN" >"$WORK/provider-orders.json"
NUMBERS=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1])).map((o) => \"'\" + o.number + \"'\").join(',') || \"''\")" "$WORK/provider-orders.json")
PENDING=$(sql "SELECT count(*) FROM orders WHERE number IN ($NUMBERS) AND status = 'pending_payment'")
row "provider slow (4 s > 2 s timeout), then down (503)" "20 orders answered, pending, no 5xx" \
  "$(( $(json "$SLOW" answered) + $(json "$DOWN" answered) )) answered (slowest $(json "$SLOW" slowest_ms) ms), $PENDING pending, $(( $(json "$SLOW" http5xx) + $(json "$DOWN" http5xx) )) 5xx" \
  "$([ "$PENDING" = 20 ] && [ "$(json "$SLOW" http5xx)" = 0 ] && [ "$(json "$DOWN" http5xx)" = 0 ] && echo 1 || echo 0)"
PAID_UP=$(FAULTS_FAKE="$FAKE_URL" node end2end/faults/driver.mjs provider-pay "$WORK/provider-orders.json" "${BASES[@]}")
echo "provider pay: $PAID_UP" >&2
SETTLE_START=$SECONDS
while [ $((SECONDS - SETTLE_START)) -lt 240 ]; do
  [ "$(sql "SELECT count(*) FROM orders WHERE number IN ($NUMBERS) AND status = 'paid'")" = 20 ] && break
  sleep 5
done
SETTLED=$(sql "SELECT count(*) FROM orders WHERE number IN ($NUMBERS) AND status = 'paid'")
read -r F_PAYMENTS F_PAID F_TWICE < <(curl -fs "$FAKE_URL/_fake/mollie/payments" | node -e "
  const all = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const numbers = new Set(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).map((o) => o.number));
  const ours = all.filter((p) => numbers.has(String(p.description).split(' ').pop()));
  const per = new Map();
  for (const p of ours) per.set(p.description, (per.get(p.description) ?? 0) + 1);
  console.log(ours.length, ours.filter((p) => p.status === 'paid').length, [...per.values()].filter((n) => n > 1).length);
" "$WORK/provider-orders.json")
row "provider back: paid on its page while its API was down" "20 paid once each, by the sweep" \
  "$(json "$PAID_UP" paid_at_provider) paid there; $SETTLED settled after $((SECONDS - SETTLE_START)) s; $F_PAYMENTS payments, $F_TWICE orders with two" \
  "$([ "$SETTLED" = 20 ] && [ "$F_PAYMENTS" = 20 ] && [ "$F_PAID" = 20 ] && [ "$F_TWICE" = 0 ] && echo 1 || echo 0)"

echo
printf '| %-52s | %-34s | %-44s | %s |\n' scenario expected observed holds
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' $(seq 54))" "$(printf -- '-%.0s' $(seq 36))" "$(printf -- '-%.0s' $(seq 46))" "--------"
printf '%s\n' "${ROWS[@]}"
if grep -qi "panicked" "$WORK"/instance-*.log; then
  echo "an instance panicked:" >&2
  grep -hi -A3 "panicked" "$WORK"/instance-*.log >&2
  FAILED=1
fi
exit "$FAILED"
