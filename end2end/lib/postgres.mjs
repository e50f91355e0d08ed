// The PostgreSQL cluster that ./x test and ./x e2e start (OHNET_TEST_POSTGRES): fresh databases
// for the specs that run several nodes on one, and one-statement queries with psql.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

/** Runs one SQL statement with psql against `url` and answers its unaligned output. */
export function psql(url, sql) {
  const run = spawnSync("psql", [url, "-qAtc", sql], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

/** A fresh, empty database on the test cluster. */
export function createDatabase(purpose) {
  const server = process.env.OHNET_TEST_POSTGRES;
  assert.ok(server, "OHNET_TEST_POSTGRES must name the PostgreSQL server (./x test and ./x e2e start one)");
  const name = `${purpose}_${process.pid}`;
  psql(`${server}/postgres`, `CREATE DATABASE "${name}"`);
  return `${server}/${name}`;
}
