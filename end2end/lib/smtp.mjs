// A real SMTP server on a free loopback port that records every message it accepts, parsed,
// so tests can read the links ohnet sends.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** @returns {Promise<{ url: string, messages: object[], waitFor: Function, stop: Function }>} */
export async function startSmtp() {
  const messages = [];
  const waiters = new Set();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
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
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
