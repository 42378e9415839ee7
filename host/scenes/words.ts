// Deterministic filler text from a seed: shell commands with their output for terminals, sentences for documents.
import type { Prng } from "../capture/prng.ts";

const WORDS = (
  "screen session support remote agent customer printer driver network update install window folder " +
  "settings account password restart service file report invoice meeting backup server error warning " +
  "display monitor keyboard mouse cable router wireless version license cloud mail calendar contact " +
  "the a of to and in is for on with that this by from it as at be are was will can not"
).split(" ");

const COMMANDS = [
  "ls -la",
  "cd /var/log",
  "tail -n 20 syslog",
  "ping -c 4 printer.local",
  "ip addr show",
  "systemctl status cups",
  "df -h",
  "ps aux | grep tandem",
  "cat /etc/hosts",
  "journalctl -u NetworkManager --since today",
  "sudo apt-get update",
  "git status",
  "uptime",
  "free -m",
] as const;

export const pick = <T>(prng: Prng, items: readonly T[]): T => items[prng.int(items.length)]!;

export const sentence = (prng: Prng, words: number): string => {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(prng, WORDS));
  const text = out.join(" ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
};

export const command = (prng: Prng): string => pick(prng, COMMANDS);

/** Plausible output of a command: `lines` rows of columns, paths and numbers. */
export const commandOutput = (prng: Prng, lines: number): string[] =>
  Array.from({ length: lines }, () => {
    const size = String(prng.int(99_999)).padStart(6, " ");
    const day = String(1 + prng.int(28)).padStart(2, " ");
    return `-rw-r--r-- 1 tandem tandem ${size} Mar ${day} 1${prng.int(10)}:${String(prng.int(60)).padStart(2, "0")} ${pick(prng, WORDS)}-${pick(prng, WORDS)}.${pick(prng, ["log", "txt", "conf", "json"])}`;
  });
