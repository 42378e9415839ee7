// Diagnostics of the customer's machine (R-T3), gathered read-only from what the system already publishes: /etc and
// /proc, statfs, the network interfaces, dpkg's database and the X display's layout. Nothing here writes or changes.
import { execFile } from "node:child_process";
import { readdir, readFile, statfs } from "node:fs/promises";
import os from "node:os";

export interface DiagnosticsReport {
  collectedAt: string;
  os: { name: string; version: string; kernel: string; arch: string; hostname: string };
  cpu: { model: string; cores: number; mhz: number; loadAverage: number[] };
  memory: { totalBytes: number; availableBytes: number; swapTotalBytes: number; swapFreeBytes: number };
  disks: { mount: string; device: string; type: string; sizeBytes: number; freeBytes: number }[];
  network: {
    name: string;
    mac: string;
    addresses: { address: string; family: string; cidr: string | null }[];
  }[];
  uptimeSeconds: number;
  processes: { pid: number; name: string; state: string; rssBytes: number; command: string }[];
  packages: { name: string; version: string }[];
  displays: { output: string; width: number; height: number; x: number; y: number; primary: boolean }[];
}

const run = (cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve) =>
    execFile(cmd, args, { env: env ?? process.env, maxBuffer: 64 * 1_048_576, timeout: 10_000 }, (err, out) =>
      resolve(err ? "" : String(out)),
    ),
  );

const text = (path: string) => readFile(path, "utf8").catch(() => "");

async function osInfo(): Promise<DiagnosticsReport["os"]> {
  const release = Object.fromEntries(
    (await text("/etc/os-release"))
      .split("\n")
      .map((l) => l.match(/^(\w+)=("?)(.*)\2$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1], m[3]]),
  ) as Record<string, string>;
  return {
    name: release.PRETTY_NAME ?? release.NAME ?? os.type(),
    version: release.VERSION_ID ?? release.VERSION ?? "",
    kernel: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    hostname: os.hostname(),
  };
}

async function memory(): Promise<DiagnosticsReport["memory"]> {
  const kb = (key: string, info: string) =>
    Number(info.match(new RegExp(`^${key}:\\s+(\\d+)`, "m"))?.[1] ?? 0) * 1024;
  const info = await text("/proc/meminfo");
  return {
    totalBytes: os.totalmem(),
    availableBytes: kb("MemAvailable", info) || os.freemem(),
    swapTotalBytes: kb("SwapTotal", info),
    swapFreeBytes: kb("SwapFree", info),
  };
}

const diskTypes = new Set([
  "ext2",
  "ext3",
  "ext4",
  "xfs",
  "btrfs",
  "vfat",
  "exfat",
  "ntfs",
  "ntfs3",
  "zfs",
  "f2fs",
  "overlay",
]);

async function disks(): Promise<DiagnosticsReport["disks"]> {
  const mounts = (await text("/proc/mounts"))
    .split("\n")
    .map((l) => l.split(" "))
    .filter((f) => f.length >= 3 && diskTypes.has(f[2]!));
  const out: DiagnosticsReport["disks"] = [];
  for (const [device, mount, type] of mounts) {
    const st = await statfs(mount!.replace(/\\040/g, " ")).catch(() => null);
    if (st)
      out.push({
        mount: mount!,
        device: device!,
        type: type!,
        sizeBytes: st.blocks * st.bsize,
        freeBytes: st.bavail * st.bsize,
      });
  }
  return out;
}

function network(): DiagnosticsReport["network"] {
  return Object.entries(os.networkInterfaces()).map(([name, addrs]) => ({
    name,
    mac: addrs?.[0]?.mac ?? "",
    addresses: (addrs ?? []).map((a) => ({ address: a.address, family: a.family, cidr: a.cidr })),
  }));
}

async function processes(): Promise<DiagnosticsReport["processes"]> {
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  const out: DiagnosticsReport["processes"] = [];
  for (const pid of pids) {
    const status = await text(`/proc/${pid}/status`);
    if (!status) continue; // ended meanwhile
    const field = (k: string) => status.match(new RegExp(`^${k}:\\s+(.*)$`, "m"))?.[1] ?? "";
    const command = (await text(`/proc/${pid}/cmdline`)).split("\0").filter(Boolean).join(" ");
    out.push({
      pid: Number(pid),
      name: field("Name"),
      state: field("State"),
      rssBytes: Number.parseInt(field("VmRSS") || "0", 10) * 1024,
      command: command.slice(0, 300),
    });
  }
  return out.sort((a, b) => b.rssBytes - a.rssBytes);
}

async function packages(): Promise<DiagnosticsReport["packages"]> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const dpkg = await run("dpkg-query", ["-W", "-f", "${db:Status-Abbrev}\t${Package}\t${Version}\n"]);
  if (dpkg)
    return dpkg
      .split("\n")
      .map((l) => l.split("\t"))
      .filter((f) => f.length === 3 && f[0]!.startsWith("ii"))
      .map((f) => ({ name: f[1]!, version: f[2]! }));
  const rpm = await run("rpm", ["-qa", "--qf", "%{NAME}\t%{VERSION}-%{RELEASE}\n"]);
  return rpm
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [name, version] = l.split("\t");
      return { name: name!, version: version ?? "" };
    });
}

async function displays(display: string | undefined): Promise<DiagnosticsReport["displays"]> {
  if (!display) return [];
  const out = await run("xrandr", ["--query"], { ...process.env, DISPLAY: display });
  const found: DiagnosticsReport["displays"] = [];
  for (const m of out.matchAll(/^(\S+) connected (primary )?(\d+)x(\d+)\+(\d+)\+(\d+)/gm))
    found.push({ output: m[1]!, primary: !!m[2], width: +m[3]!, height: +m[4]!, x: +m[5]!, y: +m[6]! });
  if (found.length === 0) {
    const screen = out.match(/current (\d+) x (\d+)/);
    if (screen)
      found.push({ output: "screen", primary: true, width: +screen[1]!, height: +screen[2]!, x: 0, y: 0 });
  }
  return found;
}

/** Gathers the whole report; every part is read-only. */
export async function gatherDiagnostics(display = process.env.DISPLAY): Promise<DiagnosticsReport> {
  const cpus = os.cpus();
  const [o, mem, d, p, pkgs, disp] = await Promise.all([
    osInfo(),
    memory(),
    disks(),
    processes(),
    packages(),
    displays(display),
  ]);
  return {
    collectedAt: new Date().toISOString(),
    os: o,
    cpu: {
      model: cpus[0]?.model ?? "",
      cores: cpus.length,
      mhz: cpus[0]?.speed ?? 0,
      loadAverage: os.loadavg(),
    },
    memory: mem,
    disks: d,
    network: network(),
    uptimeSeconds: Math.round(os.uptime()),
    processes: p,
    packages: pkgs,
    displays: disp,
  };
}

const gib = (n: number) => `${(n / 1_073_741_824).toFixed(1)} GiB`;

/** The report as the customer reads it (and as Copy puts it on their clipboard). */
export function formatDiagnostics(r: DiagnosticsReport): string {
  const lines = [
    `Diagnostics of ${r.os.hostname} at ${r.collectedAt}`,
    `System: ${r.os.name}${r.os.version ? ` (${r.os.version})` : ""}, ${r.os.kernel}, ${r.os.arch}`,
    `CPU: ${r.cpu.model} × ${r.cpu.cores}, load ${r.cpu.loadAverage.map((x) => x.toFixed(2)).join(" ")}`,
    `Memory: ${gib(r.memory.availableBytes)} available of ${gib(r.memory.totalBytes)}; swap ${gib(r.memory.swapFreeBytes)} free of ${gib(r.memory.swapTotalBytes)}`,
    `Uptime: ${Math.floor(r.uptimeSeconds / 3600)} h ${Math.floor((r.uptimeSeconds % 3600) / 60)} min`,
    "Disks:",
    ...r.disks.map(
      (d) => `  ${d.mount} (${d.type}, ${d.device}): ${gib(d.freeBytes)} free of ${gib(d.sizeBytes)}`,
    ),
    "Network:",
    ...r.network.map(
      (n) => `  ${n.name} ${n.mac}: ${n.addresses.map((a) => a.cidr ?? a.address).join(", ")}`,
    ),
    "Displays:",
    ...r.displays.map(
      (d) => `  ${d.output}${d.primary ? " (primary)" : ""}: ${d.width}×${d.height} at ${d.x},${d.y}`,
    ),
    `Processes (${r.processes.length}, largest first):`,
    ...r.processes.slice(0, 25).map((p) => `  ${p.pid} ${p.name} ${(p.rssBytes / 1_048_576).toFixed(1)} MiB`),
    `Installed packages: ${r.packages.length}`,
  ];
  return lines.join("\n");
}
