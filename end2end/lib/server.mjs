// Starts the release ohnet binary on a free loopback port with a fresh data folder, and stops
// it again. The process is wrapped in `timeout` so it ends by itself even if a test run dies.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const repo = resolve(import.meta.dirname, "..", "..");

/**
 * @param {{ contentDir?: string, env?: Record<string, string> }} [options]
 * @returns {Promise<{ baseUrl: string, dataDir: string, logs: string[], kill: () => Promise<void>, stop: () => Promise<void> }>}
 */
export async function startServer(options = {}) {
  const bin = resolve(process.env.OHNET_BIN ?? join(repo, "target", "release", "ohnet"));
  const dataDir = mkdtempSync(join(tmpdir(), "ohnet-e2e-"));
  const env = {
    ...process.env,
    OHNET_ADDR: "127.0.0.1:0",
    OHNET_DATA_DIR: dataDir,
    OHNET_CONTENT_DIR: options.contentDir ?? join(repo, "content"),
    OHNET_SITE_DIR: process.env.OHNET_SITE_DIR ?? join(repo, "target", "site"),
    OHNET_LOG: "info",
    OHNET_LOG_FORMAT: "json",
    ...options.env,
  };
  const child = spawn("timeout", ["--signal=TERM", "900", bin, "serve"], {
    cwd: dataDir,
    stdio: ["ignore", "ignore", "pipe"],
    env,
  });
  const logs = [];
  const exited = new Promise((resolveExit) => child.on("exit", (code, signal) => resolveExit({ code, signal })));
  const baseUrl = await new Promise((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stderr });
    lines.on("line", (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line);
        if (entry.message === "ohnet is listening") resolveUrl(`http://${entry.addr}`);
      } catch {
        // not a JSON log line (e.g. a panic message): kept in `logs` for the failure report
      }
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`ohnet exited before listening (code ${code}, signal ${signal}):\n${logs.join("\n")}`)),
    );
  });
  return {
    baseUrl,
    dataDir,
    logs,
    /** Runs another `ohnet` command against the same data folder. */
    cli(args, extraEnv = {}) {
      const result = spawnSync("timeout", ["60", bin, ...args], {
        cwd: dataDir,
        env: { ...env, OHNET_ADDR: "127.0.0.1:0", OHNET_BASE_URL: baseUrl, ...extraEnv },
        encoding: "utf8",
      });
      if (result.status !== 0) throw new Error(`ohnet ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
      return result.stdout;
    },
    /** Kills ohnet at once with SIGKILL, as a crash would (the `timeout` wrapper then exits). */
    async kill() {
      spawnSync("pkill", ["-KILL", "-P", String(child.pid)]);
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
    async stop() {
      child.kill("SIGTERM");
      const { code } = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`ohnet did not shut down cleanly (exit ${code}):\n${logs.slice(-20).join("\n")}`);
    },
  };
}
