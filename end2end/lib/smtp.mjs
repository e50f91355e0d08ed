// A real SMTP server on a free loopback port that records every message it accepts, parsed,
// so tests can read the links ohnet sends.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * With `{ hold: true }`, connections wait at the greeting until `release()`: a test can catch
 * a sender mid-batch, between claiming its work and delivering any of it.
 * @returns {Promise<{ url: string, messages: object[], waitFor: Function, held: Function, release: Function, stop: Function }>}
 */
export async function startSmtp({ hold = false } = {}) {
  const messages = [];
  const waiters = new Set();
  let holding = hold;
  const heldConnections = [];
  let onHeld = () => {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(session, callback) {
      if (!holding) return callback();
      heldConnections.push(callback);
      onHeld();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const message = {
            to: mail.to?.value.map((address) => address.address.toLowerCase()) ?? [],
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            // Raw header values by lower-case name (List-Unsubscribe and the like).
            headers: Object.fromEntries(
              (mail.headerLines ?? []).map(({ key, line }) => [key, line.slice(line.indexOf(":") + 1).trim()]),
            ),
          };
          messages.push(message);
          for (const waiter of waiters) waiter();
          callback();
        })
        .catch(callback);
    },
  });
  // A sender that dies mid-session (the crash test kills one) is not this server's failure.
  server.on("error", () => {});
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Resolves with the first message to `to` whose subject matches; rejects after `ms`. */
    waitFor(to, subject, ms = 15_000) {
      const find = () => messages.find((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
      return new Promise((resolve, reject) => {
        const found = find();
        if (found) return resolve(found);
        const check = () => {
          const message = find();
          if (message) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(message);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${to} matching ${subject} within ${ms} ms; got: ${JSON.stringify(messages.map((m) => [m.to, m.subject]))}`));
        }, ms);
        waiters.add(check);
      });
    },
    /** Resolves once a sender is waiting at a held greeting. */
    held: () =>
      new Promise((resolve) => {
        if (heldConnections.length > 0) return resolve();
        onHeld = resolve;
      }),
    /** Lets held and later connections through. */
    release() {
      holding = false;
      for (const callback of heldConnections.splice(0)) callback();
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
