// The node flags of package.json's `start` script (`node <flags> <the server's bundle>`): benches that run the
// server in a child process use them, so they measure the server as `npm start` runs it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  return words[0] === "node" ? words.slice(1).filter((word) => word.startsWith("--")) : [];
}
