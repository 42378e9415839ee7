// Names that come from the other side are display-only: each path segment is made into one safe file name here,
// so no sender can climb out of the receiver's folder, hide an extension behind bidi controls, or name a device.

/** Longest name kept, in UTF-8 bytes (most file systems allow 255). */
export const fileNameMaxBytes = 200;

// C0, DEL, C1; bidi embeddings, overrides and isolates; marks; zero-width and BOM: invisible or reordering.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const invisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Path separators of every platform, and the characters Windows refuses in names.
const separators = /[/\\:*?"<>|\u2215\u2044\u29f8\uff0f\uff3c]/g;
const windowsDevices = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** One safe name for one path segment sent by the other side. Never empty, never "." or "..", no separators. */
export function safeName(raw: string): string {
  let name = raw.normalize("NFC").replace(invisible, "").replace(separators, "_");
  // A leading dot would hide the file (or be ".."); trailing dots and spaces vanish on some file systems.
  name = name
    .trim()
    .replace(/^\.+/, "_")
    .replace(/[\s.]+$/, "");
  if (name === "") name = "file";
  if (windowsDevices.test(name)) name = `_${name}`;
  return truncateBytes(name, fileNameMaxBytes);
}

/** Every segment of a sender's relative path made safe; empty, "." and ".." segments are dropped. */
export function safePath(segments: readonly string[]): string[] {
  return segments.filter((s) => s !== "" && s !== "." && s !== "..").map(safeName);
}

/** The name shown to a person: safe, and with no way to look like another extension. */
export function displayName(segments: readonly string[]): string {
  const parts = safePath(segments);
  return parts.length ? parts.join(" › ") : "file";
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

function truncateBytes(name: string, max: number): string {
  if (utf8Bytes(name) <= max) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  let stem = name.slice(0, name.length - ext.length);
  while (utf8Bytes(stem + ext) > max) stem = [...stem].slice(0, -1).join("");
  return stem + ext;
}

/** "report.pdf", "report (1).pdf", "report (2).pdf" …: the name to use when the first is taken and the person chose to keep both. */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}
