// Outgoing mail over SMTP (nodemailer); the SMTP server is configuration. Without one, mails are printed to the log.
import nodemailer from "nodemailer";

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  from: string;
  user?: string;
  pass?: string;
  /** Accept self-signed certificates (loopback test servers only). */
  insecureTls?: boolean;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export type Mailer = (mail: Mail) => Promise<void>;

export function createMailer(smtp: SmtpOptions | null, log: (line: string) => void): Mailer {
  if (!smtp) {
    return async (mail) => log(`mail (no SMTP configured) to ${mail.to}: ${mail.subject}\n${mail.text}`);
  }
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? "" } } : {}),
    ...(smtp.insecureTls ? { tls: { rejectUnauthorized: false } } : {}),
  });
  return async (mail) => {
    await transport.sendMail({ from: smtp.from, ...mail });
  };
}
