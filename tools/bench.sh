#!/usr/bin/env bash
# Measures ohnet's serving path beside a bare axum "hello" (the ceiling on this machine) and
# prints a Markdown table; run it as `./x bench`, which builds target/release/ohnet,
# target/release/bench-hello, target/release/bench-search and target/site and installs wrk,
# curl and sqlite3 first. The search benchmark's table follows the serving table.
#
# Everything runs on 127.0.0.1 with free ports and a fresh data folder under /tmp (generated
# members, sessions and learning records beside the seed content); every process started here
# is stopped on exit. OHNET_BENCH_SECONDS sets the seconds per row (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_ROW=${OHNET_BENCH_SECONDS:-5}
OHNET=$ROOT/target/release/ohnet
HELLO=$ROOT/target/release/bench-hello
SEARCH=$ROOT/target/release/bench-search
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

# Starts ohnet on a free loopback port with log filter $1; sets OHNET_PID and BASE.
start_ohnet() {
  local log_filter=$1 log=$WORK/ohnet.$(( ${#PIDS[@]} )).log
  OHNET_LOG=$log_filter "$OHNET" serve >"$log" 2>&1 &
  OHNET_PID=$!
  PIDS+=("$OHNET_PID")
  OHNET_LOG_FILE=$log
  local line; line=$(await_line "$OHNET_PID" "$log" 'ohnet is listening')
  BASE=http://$(sed -E 's/.* addr=([0-9.]+:[0-9]+).*/\1/' <<<"$line")
  await_health "$BASE"
}

stop_ohnet() {
  kill -TERM "$OHNET_PID" 2>/dev/null || true
  wait "$OHNET_PID" 2>/dev/null || true
}

# One table row: label, URL, then request headers. The URL must answer 200 with those headers.
ROWS=()
CEILING=
measure() {
  local label=$1 url=$2; shift 2
  local curl_headers=() wrk_headers=() header status out=$WORK/wrk.out
  for header in "$@"; do curl_headers+=(-H "$header"); wrk_headers+=(-H "$header"); done
  status=$(curl -s -o /dev/null -w '%{http_code}' "${curl_headers[@]}" "$url")
  [ "$status" = 200 ] || fail "$label: $url answered $status, not 200"
  wrk -t2 -c64 -d1s "${wrk_headers[@]}" "$url" >/dev/null
  wrk -t2 -c64 -d"${SECONDS_PER_ROW}s" --latency "${wrk_headers[@]}" "$url" >"$out"
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  [ -z "$bad" ] || note "$label: $bad responses were not 2xx/3xx"
  grep -q 'Socket errors' "$out" && note "$label: $(grep 'Socket errors' "$out" | sed 's/^ *//')"
  [ -n "$CEILING" ] || CEILING=$rps
  ROWS+=("| $label | $rps | $p50 | $p99 | $(awk -v a="$rps" -v b="$CEILING" 'BEGIN { printf "%.1f %%", 100 * a / b }') |")
  note "$label: $rps req/s, p50 $p50, p99 $p99"
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

[ -x "$OHNET" ] && [ -x "$HELLO" ] || fail "build first (./x bench does)"

note "ceiling: bare axum hello"
"$HELLO" 127.0.0.1:0 >"$WORK/hello.log" 2>&1 &
HELLO_PID=$!
PIDS+=("$HELLO_PID")
HELLO_BASE=http://$(await_line "$HELLO_PID" "$WORK/hello.log" 'listening on' | awk '{ print $3 }')
measure "bare axum hello (ceiling)" "$HELLO_BASE/"
kill "$HELLO_PID"
wait "$HELLO_PID" 2>/dev/null || true

export OHNET_DATA_DIR=$WORK/data OHNET_ADDR=127.0.0.1:0 OHNET_CONTENT_DIR=$ROOT/content NO_COLOR=1
export OHNET_SITE_DIR=${OHNET_SITE_DIR:-$ROOT/target/site}
unset OHNET_BASE_URL OHNET_DATABASE_URL OHNET_SMTP_URL OHNET_LOG_FORMAT
DB=$OHNET_DATA_DIR/ohnet.sqlite

note "starting ohnet with a fresh data folder"
STARTED_MS=$(now_ms)
start_ohnet info
READY_MS=$(( $(now_ms) - STARTED_MS ))
RSS_IDLE=$(rss_mb "$OHNET_PID" VmRSS)

note "generating members, sessions and learning records"
EMAIL=bench-admin@bench.police.uk
PASSWORD=bench-password-$RANDOM$RANDOM
OHNET_LOG=warn OHNET_ADMIN_PASSWORD=$PASSWORD "$OHNET" create-admin --email "$EMAIL" --name "Bench Admin" >/dev/null
NOW=$(date -u +%Y-%m-%dT%H:%M:%S.%N+00:00)
LATER=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%S.%N+00:00)
sqlite3 "$DB" <<SQL
.timeout 10000
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO users (email, name, password_hash, profession, organisation, regulator,
                   registration_number, status, role, created_at, verified_at, decided_at)
SELECT 'member' || i || '@force' || (i % 43) || '.police.uk', 'Member ' || i, '!', 'oh-nurse',
       'force-' || (i % 43), 'nmc', 'NMC' || i, 'active', 'member',
       '$NOW', '$NOW', '$NOW'
FROM n;
INSERT INTO user_groups (user_id, group_id, status, created_at)
SELECT users.id, groups.id, 'member', '$NOW'
FROM users JOIN groups ON groups.private = 0 AND (users.id + groups.id) % 3 = 0;
INSERT INTO user_groups (user_id, group_id, status, created_at)
SELECT users.id, groups.id, 'member', '$NOW'
FROM users JOIN groups ON groups.private = 0
WHERE users.email = '$EMAIL'
  AND NOT EXISTS (SELECT 1 FROM user_groups WHERE user_id = users.id AND group_id = groups.id);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2)
INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent)
SELECT lower(hex(randomblob(32))), users.id, '$NOW', '$NOW',
       '$LATER', 'bench'
FROM users, n WHERE users.password_hash = '!';
INSERT INTO learning_records (user_id, module_id, started_at, last_lesson)
SELECT users.id, modules.id, '$NOW', NULL
FROM users JOIN modules ON (users.id + modules.id) % 2 = 0 WHERE users.password_hash = '!';
INSERT INTO lesson_progress (user_id, lesson_id, content_hash, completed_at)
SELECT learning_records.user_id, lessons.id, lessons.content_hash, '$NOW'
FROM learning_records JOIN module_lessons AS lessons ON lessons.module_id = learning_records.module_id
WHERE lessons.position <= 3;
COMMIT;
SQL

note "generating a 50-post topic in the general forum"
sqlite3 "$DB" <<SQL
.timeout 10000
BEGIN;
INSERT INTO forum_topics (forum_id, title, tags, author_id, pinned, locked, post_count,
                          last_post_at, last_post_number, created_at)
SELECT forums.id, 'Bench thread', 'bench', (SELECT min(id) FROM users WHERE password_hash = '!'),
       0, 0, 50, '$NOW', 50, '$NOW'
FROM forums WHERE slug = 'general';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO forum_posts (topic_id, number, author_id, body_markdown, body_html, created_at)
SELECT (SELECT max(id) FROM forum_topics), i, (SELECT min(id) FROM users WHERE password_hash = '!') + i,
       'Post ' || i || ': a paragraph of **practice** from another force, long enough to be typical of a reply in a real discussion about night work and fitness for duty.',
       '<p>Post ' || i || ': a paragraph of <strong>practice</strong> from another force, long enough to be typical of a reply in a real discussion about night work and fitness for duty.</p>',
       '$NOW'
FROM n;
UPDATE forums SET topic_count = topic_count + 1, post_count = post_count + 50, last_post_at = '$NOW'
WHERE slug = 'general';
COMMIT;
SQL
THREAD=$(sqlite3 "$DB" "SELECT max(id) FROM forum_topics")

note "generating a CPD record for the administrator: 200 entries and a revalidation record"
sqlite3 "$DB" <<SQL
.timeout 10000
BEGIN;
UPDATE users SET regulator = 'nmc', cpd_cycle_ends_on = date('now', '+100 days') WHERE email = '$EMAIL';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO cpd_entries (user_id, title, kind, participatory, minutes, occurred_on, learning,
                         reflection, practice_change, source, created_at)
SELECT (SELECT id FROM users WHERE email = '$EMAIL'), 'Bench activity ' || i,
       CASE i % 3 WHEN 0 THEN 'reading' WHEN 1 THEN 'workshop' ELSE 'supervision' END, i % 2,
       90, date('now', '-' || (i * 5) || ' days'), 'What activity ' || i || ' taught me.',
       'It went **well**, and next time I will ask first.', '', NULL, '$NOW'
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO cpd_practice_hours (user_id, started_on, ended_on, organisation, setting, scope,
                                minutes, description, created_at)
SELECT (SELECT id FROM users WHERE email = '$EMAIL'), date('now', '-' || (i * 90) || ' days'),
       date('now', '-' || (i * 90 - 89) || ' days'), 'Force OH', 'occupational-health',
       'direct-care', 2400 * 60 / 10, '', '$NOW'
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
INSERT INTO cpd_feedback (user_id, received_on, source, summary, practice_change, created_at)
SELECT (SELECT id FROM users WHERE email = '$EMAIL'), date('now', '-' || (i * 60) || ' days'),
       'manager', 'Clear and timely advice.', '', '$NOW'
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
INSERT INTO cpd_reflections (user_id, written_on, experience, learning, practice_change,
                             code_themes, created_at)
SELECT (SELECT id FROM users WHERE email = '$EMAIL'), date('now', '-' || (i * 70) || ' days'),
       'A case conference.', 'Ask first.', 'Plans drafted together.',
       'prioritise-people,preserve-safety', '$NOW'
FROM n;
COMMIT;
SQL

note "signing in as the generated administrator"
JAR=$WORK/cookies.txt
curl -s -o /dev/null -c "$JAR" "$BASE/sign-in"
CSRF=$(awk '$6 == "ohnet_csrf" { print $7 }' "$JAR")
[ -n "$CSRF" ] || fail "no ohnet_csrf cookie from GET /sign-in"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" -H "Origin: $BASE" \
  --data-urlencode "csrf_token=$CSRF" --data-urlencode "email=$EMAIL" \
  --data-urlencode "password=$PASSWORD" "$BASE/sign-in")
[ "$STATUS" = 303 ] || fail "signing in answered $STATUS, not 303"
SESSION=$(awk '$6 == "ohnet_session" { print $7 }' "$JAR")
[ -n "$SESSION" ] || fail "no ohnet_session cookie after signing in"

MODULE=assessing-fitness-for-duty
LESSON=$(sqlite3 "$DB" "SELECT lessons.slug FROM module_lessons AS lessons JOIN modules ON modules.id = lessons.module_id
  WHERE modules.slug = '$MODULE' ORDER BY lessons.position LIMIT 1")
[ -n "$LESSON" ] || fail "module $MODULE has no lessons"
CSS=$(sed -E 's/.*"stylesheet":"([^"]+)".*/\1/' "$OHNET_SITE_DIR/manifest.json")
BROWSER_ENCODINGS="Accept-Encoding: gzip, deflate, br, zstd"
VISITOR="Cookie: ohnet_csrf=$CSRF"
MEMBER="Cookie: ohnet_csrf=$CSRF; ohnet_session=$SESSION"

measure "\`/health\`" "$BASE/health"
measure "hashed asset \`/pkg/$CSS\` (brotli)" "$BASE/pkg/$CSS" "$BROWSER_ENCODINGS"
measure "home page \`/\` (visitor)" "$BASE/" "$BROWSER_ENCODINGS" "$VISITOR"
measure "catalogue \`/learning\` (visitor)" "$BASE/learning" "$BROWSER_ENCODINGS" "$VISITOR"
measure "lesson \`/learning/$MODULE/$LESSON\` (member)" "$BASE/learning/$MODULE/$LESSON" \
  "$BROWSER_ENCODINGS" "$MEMBER"
measure "50-post topic \`/forums/general/$THREAD\`, page 1 of 3 (member)" \
  "$BASE/forums/general/$THREAD" "$BROWSER_ENCODINGS" "$MEMBER"
measure "search \`/search?q=night+work\` (member)" "$BASE/search?q=night+work" \
  "$BROWSER_ENCODINGS" "$MEMBER"
measure "suggestions \`/api/search/suggest?query=assess\` (member)" \
  "$BASE/api/search/suggest?query=assess" "$BROWSER_ENCODINGS" "$MEMBER"
measure "library \`/library\` (member)" "$BASE/library" "$BROWSER_ENCODINGS" "$MEMBER"
measure "CPD dashboard \`/cpd\` (member, 200 entries)" "$BASE/cpd" "$BROWSER_ENCODINGS" "$MEMBER"
measure "revalidation record \`/cpd/revalidation\` (member)" "$BASE/cpd/revalidation" \
  "$BROWSER_ENCODINGS" "$MEMBER"
RSS_LOADED=$(rss_mb "$OHNET_PID" VmRSS)
RSS_PEAK=$(rss_mb "$OHNET_PID" VmHWM)
stop_ohnet

note "restarting ohnet with SQL statement logging to count statements per request"
STARTED_MS=$(now_ms)
start_ohnet "info,ohnet::sql=debug"
RESTART_MS=$(( $(now_ms) - STARTED_MS ))
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
stop_ohnet

MEMBERS=$(sqlite3 "$DB" "SELECT count(*) FROM users")
SESSIONS=$(sqlite3 "$DB" "SELECT count(*) FROM sessions")
cat <<EOF

## ohnet bench ($(nproc) cores, wrk -t2 -c64 -d${SECONDS_PER_ROW}s on the same machine, $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ', uncommitted changes'))

| row | req/s | p50 | p99 | % of ceiling |
|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

| SQL statements per request | count |
|---|---|
$(printf '%s\n' "${SQL_COUNTS[@]}")

- start to \`/health\` 200, fresh data folder (migrations, content import): ${READY_MS} ms
- restart to \`/health\` 200 (database up to date): ${RESTART_MS} ms
- RSS idle after the first start (fresh data folder: migrations, content import, index build): ${RSS_IDLE} MB; after a restart on the generated data: ${RSS_RESTART_IDLE} MB; after the last row: ${RSS_LOADED} MB; peak: ${RSS_PEAK} MB
- data: ${MEMBERS} members, ${SESSIONS} sessions, the seed content
EOF

# The search benchmark: tantivy through ohnet's own path beside SQLite FTS5 (bm25), over one
# generated corpus (OHNET_BENCH_DOCUMENTS, OHNET_BENCH_POSTS, OHNET_BENCH_SEED).
note "search benchmark: generating the corpus and indexing it twice (a few minutes)"
OHNET_CONTENT_DIR=$ROOT/content "$SEARCH"
