// `npm run admin -- <command>`: administrator accounts on the data folder (works while the server runs: SQLite WAL).
//   create <email>          a new administrator; password from TANDEM_ADMIN_PASSWORD or a random one, printed once
//   password <email>        a new random password for an administrator, to change at next login
//   list                    the administrators
// Everything else in the management center goes through the REST API with an administrator's token (docs/management.md).
import { randomBytes } from "node:crypto";
import { hashPassword, passwordProblems, randomPassword } from "../accounts/passwords.ts";
import { openDb } from "../store/db.ts";
import { Store } from "../store/store.ts";

const [command, email] = process.argv.slice(2);
const store = new Store(openDb(process.env.DATA_DIR ?? "./data"));

function usage(): never {
  console.error("usage: npm run admin -- create <email> | password <email> | list");
  process.exit(2);
}

async function main(): Promise<void> {
  if (command === "list") {
    for (const a of store.accounts("admin")) console.log(`${a.email}${a.disabled ? " (disabled)" : ""}`);
    return;
  }
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) usage();
  const given = process.env.TANDEM_ADMIN_PASSWORD;
  const password = given ?? randomPassword(randomBytes);
  const problems = passwordProblems(password, { email, firstName: "", lastName: "" });
  if (problems.length) {
    console.error(`TANDEM_ADMIN_PASSWORD ${problems.join("; ")}`);
    process.exit(1);
  }
  const hash = await hashPassword(password);
  if (command === "create") {
    if (store.accountByEmail(email)) {
      console.error(`${email} already has an account`);
      process.exit(1);
    }
    store.createAccount(
      {
        id: `admin-${randomBytes(4).toString("hex")}`,
        email,
        role: "admin",
        firstName: "",
        lastName: "",
        passwordHash: hash,
        mustChange: given === undefined,
        emailValidated: true,
        disabled: false,
      },
      Date.now(),
    );
  } else if (command === "password") {
    const account = store.accountByEmail(email);
    if (account?.role !== "admin") {
      console.error(`${email} is not an administrator`);
      process.exit(1);
    }
    store.setPassword(account.id, hash, Date.now(), given === undefined);
  } else usage();
  await store.close();
  console.log(`administrator ${email} ${command === "create" ? "created" : "updated"}`);
  if (given === undefined) {
    console.log(`one-time password: ${password}`);
    console.log("change it before the first login: POST /api/password/change {email, current, next, repeat}");
  }
}

await main();
