#!/usr/bin/env bash
# Measures ohnet's serving path beside a bare axum "hello" (the ceiling on this machine) and
# prints Markdown tables; run it as `./x bench`, which builds target/release/ohnet,
# target/release/bench-hello, target/release/bench-tools and target/site, installs wrk, curl,
# sqlite3 and PostgreSQL, and starts a throwaway PostgreSQL cluster (OHNET_BENCH_POSTGRES).
#
# The same rows are measured on SQLite, on PostgreSQL, and on two nodes sharing the PostgreSQL
# database, each over the seed content and one generated data set (`bench-tools generate`:
# OHNET_BENCH_MEMBERS, OHNET_BENCH_POSTS, OHNET_BENCH_CPD_ENTRIES). Everything runs on
# 127.0.0.1 with free ports and fresh data folders under /tmp; every process started here is
# stopped on exit. OHNET_BENCH_SECONDS sets the seconds per row (default 5). The search
# benchmark's table (`bench-tools search`) follows.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_ROW=${OHNET_BENCH_SECONDS:-5}
OHNET=$ROOT/target/release/ohnet
HELLO=$ROOT/target/release/bench-hello
TOOLS=$ROOT/target/release/bench-tools
WORK=$(mktemp -d /tmp/ohnet-bench.XXXXXX)
PIDS=()

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop_all EXIT

fail() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mb() { awk '/^'"$2"':/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Prints the first line of file $2 matching $3 once process $1 has written it (60 s at most).
await_line() {
  local pid=$1 file=$2 pattern=$3 deadline=$(( $(date +%s) + 60 )) line
  while :; do
    line=$(sed 's/\x1b\[[0-9;]*m//g' "$file" | grep -m1 -e "$pattern" || true)
    [ -n "$line" ] && { echo "$line"; return; }
    kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; fail "process $pid exited before printing '$pattern'"; }
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for '$pattern' in $file"
    sleep 0.01
  done
}

# Waits until $1/health answers 200.
await_health() {
  local base=$1 deadline=$(( $(date +%s) + 60 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/health")" = 200 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$base/health did not answer 200 within 60 s"
    sleep 0.01
  done
}

# Starts ohnet on a free loopback port with log filter $1 and data folder $2 (and
# OHNET_DATABASE_URL as exported); sets OHNET_PID, OHNET_LOG_FILE and BASE, and START_MS to the
# milliseconds from start to /health answering 200.
start_ohnet() {
  local log_filter=$1 data_dir=$2 log=$WORK/ohnet.$(( ${#PIDS[@]} )).log started
  started=$(now_ms)
  OHNET_LOG=$log_filter OHNET_DATA_DIR=$data_dir "$OHNET" serve >"$log" 2>&1 &
  OHNET_PID=$!
  PIDS+=("$OHNET_PID")
  OHNET_LOG_FILE=$log
  local line; line=$(await_line "$OHNET_PID" "$log" 'ohnet is listening')
  BASE=http://$(sed -E 's/.* addr=([0-9.]+:[0-9]+).*/\1/' <<<"$line")
  await_health "$BASE"
  START_MS=$(( $(now_ms) - started ))
}

# Stops the node with process id $1 (SIGTERM: it drains requests and stops its jobs).
stop_ohnet() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Makes the administrator $EMAIL in the database of data folder $1 (the node must be stopped)
# and fills that database with the generated data set; sets THREAD to the 50-post topic's id.
generate_data() {
  note "generating $(( ${OHNET_BENCH_MEMBERS:-10000} )) members, $(( ${OHNET_BENCH_POSTS:-50000} )) posts and $(( ${OHNET_BENCH_CPD_ENTRIES:-100000} )) CPD entries"
  OHNET_LOG=warn OHNET_DATA_DIR=$1 OHNET_ADMIN_PASSWORD=$PASSWORD \
    "$OHNET" create-admin --email "$EMAIL" --name "Bench Admin" >/dev/null
  THREAD=$(OHNET_DATABASE_URL=${OHNET_DATABASE_URL:-sqlite://$1/ohnet.sqlite?mode=rwc} \
    OHNET_BENCH_ADMIN_EMAIL=$EMAIL "$TOOLS" generate)
}

# Signs in as $EMAIL through $BASE/sign-in; sets the VISITOR and MEMBER cookie headers.
sign_in() {
  local jar=$WORK/cookies.$RANDOM.txt csrf status session
  curl -s -o /dev/null -c "$jar" "$BASE/sign-in"
  csrf=$(awk '$6 == "ohnet_csrf" { print $7 }' "$jar")
  [ -n "$csrf" ] || fail "no ohnet_csrf cookie from GET /sign-in"
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" -H "Origin: $BASE" \
    --data-urlencode "csrf_token=$csrf" --data-urlencode "email=$EMAIL" \
    --data-urlencode "password=$PASSWORD" "$BASE/sign-in")
  [ "$status" = 303 ] || fail "signing in answered $status, not 303"
  session=$(awk '$6 == "ohnet_session" { print $7 }' "$jar")
  [ -n "$session" ] || fail "no ohnet_session cookie after signing in"
  VISITOR="Cookie: ohnet_csrf=$csrf"
  MEMBER="Cookie: ohnet_csrf=$csrf; ohnet_session=$session"
}

# One row of the configuration $CONFIG: label, path, then request headers. The load (wrk, two
# threads and 64 connections in all) is split evenly over the nodes in BASES, each of which
# must answer 200; req/s add up, and the row's p50 and p99 are the worst node's.
declare -A RESULTS
LABELS=()
measure() {
  local label=$1 path=$2; shift 2
  local curl_headers=() wrk_headers=() header status base n=0 wrk_pids=()
  local nodes=${#BASES[@]}
  for header in "$@"; do curl_headers+=(-H "$header"); wrk_headers+=(-H "$header"); done
  for base in "${BASES[@]}"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "${curl_headers[@]}" "$base$path")
    [ "$status" = 200 ] || fail "$label: $base$path answered $status, not 200"
  done
  for base in "${BASES[@]}"; do
    wrk -t$(( 2 / nodes )) -c$(( 64 / nodes )) -d1s "${wrk_headers[@]}" "$base$path" >/dev/null &
    wrk_pids+=($!)
  done
  wait "${wrk_pids[@]}"
  wrk_pids=()
  for base in "${BASES[@]}"; do
    wrk -t$(( 2 / nodes )) -c$(( 64 / nodes )) -d"${SECONDS_PER_ROW}s" --latency \
      "${wrk_headers[@]}" "$base$path" >"$WORK/wrk.$n.out" &
    wrk_pids+=($!)
    n=$(( n + 1 ))
  done
  wait "${wrk_pids[@]}"
  local rps=0 p50=0 p99=0 out bad
  for out in "$WORK"/wrk.[0-9]*.out; do
    rps=$(awk -v sum="$rps" '/^Requests\/sec:/ { sum += $2 } END { printf "%.0f", sum }' "$out")
    p50=$(awk -v worst="$p50" '$1 == "50%" { v = $2 + 0; if ($2 ~ /us$/) v /= 1000; else if ($2 ~ /[^m]s$/) v *= 1000;
      if (v > worst) worst = v } END { printf "%.2f", worst }' "$out")
    p99=$(awk -v worst="$p99" '$1 == "99%" { v = $2 + 0; if ($2 ~ /us$/) v /= 1000; else if ($2 ~ /[^m]s$/) v *= 1000;
      if (v > worst) worst = v } END { printf "%.2f", worst }' "$out")
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    [ -z "$bad" ] || note "$label: $bad responses were not 2xx/3xx"
    grep -q 'Socket errors' "$out" && note "$label: $(grep 'Socket errors' "$out" | sed 's/^ *//')"
  done
  rm -f "$WORK"/wrk.[0-9]*.out
  [ -n "${RESULTS[$label]+x}" ] || LABELS+=("$label")
  RESULTS[$label]=1
  RESULTS[$label|$CONFIG]="$rps|${p50}ms|${p99}ms"
  note "$CONFIG, $label: $rps req/s, p50 ${p50}ms, p99 ${p99}ms"
}

# The rows every configuration measures, against the nodes in BASES.
measure_rows() {
  measure "\`/health\`" "/health"
  measure "hashed asset \`/pkg/$CSS\` (brotli)" "/pkg/$CSS" "$BROWSER_ENCODINGS"
  measure "home page \`/\` (visitor)" "/" "$BROWSER_ENCODINGS" "$VISITOR"
  measure "catalogue \`/learning\` (visitor)" "/learning" "$BROWSER_ENCODINGS" "$VISITOR"
  measure "lesson \`/learning/$MODULE/$LESSON\` (member)" "/learning/$MODULE/$LESSON" \
    "$BROWSER_ENCODINGS" "$MEMBER"
  measure "50-post topic \`/forums/general/$THREAD\`, page 1 of 3 (member)" \
    "/forums/general/$THREAD" "$BROWSER_ENCODINGS" "$MEMBER"
  measure "search \`/search?q=night+work\` (member)" "/search?q=night+work" \
    "$BROWSER_ENCODINGS" "$MEMBER"
  measure "suggestions \`/api/search/suggest?query=assess\` (member)" \
    "/api/search/suggest?query=assess" "$BROWSER_ENCODINGS" "$MEMBER"
  measure "library \`/library\` (member)" "/library" "$BROWSER_ENCODINGS" "$MEMBER"
  measure "CPD dashboard \`/cpd\` (member, 200 entries)" "/cpd" "$BROWSER_ENCODINGS" "$MEMBER"
  measure "revalidation record \`/cpd/revalidation\` (member)" "/cpd/revalidation" \
    "$BROWSER_ENCODINGS" "$MEMBER"
}

# SQL statements made while answering one request (logged by ohnet at debug under ohnet::sql),
# counted between the completion lines of consecutive requests; the mail worker's polls are
# left out. Each URL is requested twice and the second (steady state) is counted.
SQL_COUNTS=()
count_sql() {
  local label=$1 url=$2; shift 2
  local headers=() header id before after
  for header in "$@"; do headers+=(-H "$header"); done
  for round in 1 2; do
    id=bench-sql-$RANDOM$RANDOM-$round
    before=$(wc -l <"$OHNET_LOG_FILE")
    curl -s -o /dev/null -H "x-request-id: $id" "${headers[@]}" "$url"
    await_line "$OHNET_PID" "$OHNET_LOG_FILE" "$id.* status=" >/dev/null
    after=$(grep -n -m1 -e "$id.* status=" "$OHNET_LOG_FILE" | cut -d: -f1)
  done
  local count
  count=$(sed -n "$((before + 1)),${after}p" "$OHNET_LOG_FILE" | grep 'ohnet::sql' | grep -vc 'mail_outbox' || true)
  SQL_COUNTS+=("| $label | $count |")
}

[ -x "$OHNET" ] && [ -x "$HELLO" ] && [ -x "$TOOLS" ] || fail "build first (./x bench does)"

note "ceiling: bare axum hello"
"$HELLO" 127.0.0.1:0 >"$WORK/hello.log" 2>&1 &
HELLO_PID=$!
PIDS+=("$HELLO_PID")
CONFIG=sqlite
BASES=("http://$(await_line "$HELLO_PID" "$WORK/hello.log" 'listening on' | awk '{ print $3 }')")
measure "bare axum hello (ceiling)" "/"
kill "$HELLO_PID"
wait "$HELLO_PID" 2>/dev/null || true

export OHNET_ADDR=127.0.0.1:0 OHNET_CONTENT_DIR=$ROOT/content NO_COLOR=1
export OHNET_SITE_DIR=${OHNET_SITE_DIR:-$ROOT/target/site}
unset OHNET_BASE_URL OHNET_DATABASE_URL OHNET_SMTP_URL OHNET_LOG_FORMAT OHNET_DATA_DIR
EMAIL=bench-admin@bench.police.uk
PASSWORD=bench-password-$RANDOM$RANDOM
MODULE=assessing-fitness-for-duty
CSS=$(sed -E 's/.*"stylesheet":"([^"]+)".*/\1/' "$OHNET_SITE_DIR/manifest.json")
BROWSER_ENCODINGS="Accept-Encoding: gzip, deflate, br, zstd"
declare -A TIMES

# --- SQLite, one node ---------------------------------------------------------------------------
DATA=$WORK/sqlite
DB=$DATA/ohnet.sqlite
note "SQLite: starting ohnet with a fresh data folder"
start_ohnet info "$DATA"
TIMES[sqlite-first]=$START_MS
RSS_IDLE=$(rss_mb "$OHNET_PID" VmRSS)
stop_ohnet "$OHNET_PID"
LESSON=$(sqlite3 "$DB" "SELECT lessons.slug FROM module_lessons AS lessons JOIN modules ON modules.id = lessons.module_id
  WHERE modules.slug = '$MODULE' ORDER BY lessons.position LIMIT 1")
[ -n "$LESSON" ] || fail "module $MODULE has no lessons"
generate_data "$DATA"
note "SQLite: restarting on the generated data (the index catches up on the new posts)"
start_ohnet info "$DATA"
TIMES[sqlite-catch-up]=$START_MS
sign_in
BASES=("$BASE")
measure_rows
RSS_LOADED=$(rss_mb "$OHNET_PID" VmRSS)
RSS_PEAK=$(rss_mb "$OHNET_PID" VmHWM)
stop_ohnet "$OHNET_PID"

note "SQLite: restarting with SQL statement logging to count statements per request"
start_ohnet "info,ohnet::sql=debug" "$DATA"
TIMES[sqlite-restart]=$START_MS
RSS_RESTART_IDLE=$(rss_mb "$OHNET_PID" VmRSS)
count_sql "\`/health\`" "$BASE/health"
count_sql "hashed asset" "$BASE/pkg/$CSS" "$BROWSER_ENCODINGS"
count_sql "home page (visitor)" "$BASE/" "$VISITOR"
count_sql "catalogue (visitor)" "$BASE/learning" "$VISITOR"
count_sql "home page (member)" "$BASE/" "$MEMBER"
count_sql "lesson (member)" "$BASE/learning/$MODULE/$LESSON" "$MEMBER"
count_sql "50-post topic, page 1 (member)" "$BASE/forums/general/$THREAD" "$MEMBER"
count_sql "50-post topic, page 3 (member)" "$BASE/forums/general/$THREAD?page=3" "$MEMBER"
count_sql "search (member)" "$BASE/search?q=night+work" "$MEMBER"
count_sql "suggestions (member)" "$BASE/api/search/suggest?query=assess" "$MEMBER"
count_sql "library (member)" "$BASE/library" "$MEMBER"
count_sql "CPD dashboard (member)" "$BASE/cpd" "$MEMBER"
count_sql "revalidation record (member)" "$BASE/cpd/revalidation" "$MEMBER"
count_sql "portfolio, about 200 entries and the records (member)" "$BASE/cpd/portfolio" "$MEMBER"
count_sql "CPD profile (member)" "$BASE/cpd/profile" "$MEMBER"
stop_ohnet "$OHNET_PID"
MEMBERS=$(sqlite3 "$DB" "SELECT count(*) FROM users")
POSTS=$(sqlite3 "$DB" "SELECT count(*) FROM forum_posts")
ENTRIES=$(sqlite3 "$DB" "SELECT count(*) FROM cpd_entries")
SESSIONS=$(sqlite3 "$DB" "SELECT count(*) FROM sessions")

# --- PostgreSQL: one node, then two on one database ---------------------------------------------
CONFIGS=(sqlite)
if [ -n "${OHNET_BENCH_POSTGRES:-}" ]; then
  CONFIGS+=(postgres two-nodes)
  psql -q "$OHNET_BENCH_POSTGRES/postgres" -c "CREATE DATABASE ohnet_bench" >/dev/null
  export OHNET_DATABASE_URL=$OHNET_BENCH_POSTGRES/ohnet_bench
  note "PostgreSQL: starting ohnet with a fresh data folder and database"
  start_ohnet info "$WORK/node-a"
  TIMES[postgres-first]=$START_MS
  stop_ohnet "$OHNET_PID"
  generate_data "$WORK/node-a"
  note "PostgreSQL: restarting on the generated data (the index catches up on the new posts)"
  start_ohnet info "$WORK/node-a"
  TIMES[postgres-catch-up]=$START_MS
  NODE_A=$OHNET_PID
  BASE_A=$BASE
  sign_in
  CONFIG=postgres
  BASES=("$BASE_A")
  measure_rows
  note "PostgreSQL: a second node joins with an empty data folder (it builds its own index)"
  start_ohnet info "$WORK/node-b"
  TIMES[postgres-join]=$START_MS
  CONFIG=two-nodes
  BASES=("$BASE_A" "$BASE")
  measure_rows
  stop_ohnet "$OHNET_PID"
  stop_ohnet "$NODE_A"
  unset OHNET_DATABASE_URL
else
  note "OHNET_BENCH_POSTGRES is not set (./x bench sets it): no PostgreSQL or two-node rows"
fi

HEADER="| row |"
RULE="|---|"
for config in "${CONFIGS[@]}"; do
  case $config in
    sqlite) HEADER+=" SQLite req/s | p50 | p99 |" ;;
    postgres) HEADER+=" PostgreSQL req/s | p50 | p99 |" ;;
    two-nodes) HEADER+=" 2 nodes, PostgreSQL req/s | p50 | p99 |" ;;
  esac
  RULE+="---|---|---|"
done
TABLE=("$HEADER" "$RULE")
for label in "${LABELS[@]}"; do
  line="| $label |"
  for config in "${CONFIGS[@]}"; do
    cell=${RESULTS[$label|$config]:-—|—|—}
    line+=" ${cell//|/ | } |"
  done
  TABLE+=("$line")
done

cat <<EOF

## ohnet bench ($(nproc) cores, wrk -t2 -c64 -d${SECONDS_PER_ROW}s on the same machine, $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ', uncommitted changes'))

Data: the seed content and ${MEMBERS} members, ${SESSIONS} sessions, ${POSTS} forum posts and ${ENTRIES} CPD entries, generated the same way on both backends (\`bench-tools generate\`). Two nodes: the same load split evenly between them; req/s added, p50 and p99 of the slower node.

$(printf '%s\n' "${TABLE[@]}")

| SQL statements per request (SQLite) | count |
|---|---|
$(printf '%s\n' "${SQL_COUNTS[@]}")

| start to \`/health\` 200 | SQLite | PostgreSQL |
|---|---|---|
| first start, empty database (migrations, content import, index build) | ${TIMES[sqlite-first]} ms | ${TIMES[postgres-first]:-—} ms |
| first start on the generated data (the index catches up on the new posts) | ${TIMES[sqlite-catch-up]} ms | ${TIMES[postgres-catch-up]:-—} ms |
| restart, index up to date | ${TIMES[sqlite-restart]} ms | — |
| a second node joins with an empty data folder (builds its whole index) | — | ${TIMES[postgres-join]:-—} ms |

- RSS (SQLite) idle after the first start: ${RSS_IDLE} MB; after a restart on the generated data: ${RSS_RESTART_IDLE} MB; after the last row: ${RSS_LOADED} MB; peak: ${RSS_PEAK} MB
EOF

# The search benchmark: tantivy through ohnet's own path beside SQLite FTS5 (bm25), over its own
# generated corpus (OHNET_BENCH_DOCUMENTS, OHNET_BENCH_SEARCH_POSTS, OHNET_BENCH_SEED).
note "search benchmark: generating the corpus and indexing it twice (a few minutes)"
OHNET_BENCH_POSTS=${OHNET_BENCH_SEARCH_POSTS:-100000} "$TOOLS" search
