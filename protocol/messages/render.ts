// Renders the authorisation table and the error table as Markdown for protocol/README.md (`npx tsx protocol/messages/render.ts`).
import { messagePermissions, principals, routePermissions } from "./authorisation.ts";
import { closeCodes } from "./errors.ts";

const mark = (allowed: readonly string[]) =>
  principals.map((p) => (allowed.includes(p) ? "✓" : "·")).join(" | ");
const head = `| | ${principals.join(" | ")} | target | what |\n|---|${principals.map(() => "---").join("|")}|---|---|`;

export function renderTables(): string {
  const messages = Object.entries(messagePermissions)
    .map(([type, p]) => `| \`${type}\` | ${mark(p.allowed)} | ${p.target} | ${p.doc} |`)
    .join("\n");
  const routes = Object.entries(routePermissions)
    .map(([key, p]) => `| \`${key}\` | ${mark(p.allowed)} | ${p.target} | ${p.doc} |`)
    .join("\n");
  const errors = Object.entries(closeCodes)
    .map(([reason, code]) => `| \`${reason}\` | ${code ?? "— (socket stays open)"} |`)
    .join("\n");
  return `### Control messages (client → server)\n\n${head}\n${messages}\n\n### HTTP routes\n\n${head}\n${routes}\n\n### Error reasons and close codes\n\n| reason | close code |\n|---|---|\n${errors}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(renderTables());
