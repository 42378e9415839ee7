// Lists the monitors of an X screen with their position and resolution: RandR CRTCs, else Xinerama screens, else the root.
import type { RandrCrtcInfo, RandrOutputInfo, RandrScreenResources } from "x11";
import type { DisplayConnection } from "../x11/connection.ts";
import { type Monitor, singleMonitor } from "./captureSource.ts";

type Box = Omit<Monitor, "id" | "primary"> & { readonly primary?: boolean };

/** Active RandR CRTCs, named after the first output each drives; empty when RandR is missing or shows none. */
const randrMonitors = async (conn: DisplayConnection): Promise<Box[]> => {
  const randr = await conn.extension("randr");
  if (randr === undefined) return [];
  try {
    await conn.call<[number, number]>((cb) => randr.QueryVersion(1, 3, cb));
    const res = await conn.call<RandrScreenResources>((cb) => randr.GetScreenResourcesCurrent(conn.root, cb));
    const primaryOutput = await conn
      .call<number>((cb) => randr.GetOutputPrimary(conn.root, cb))
      .catch(() => 0);
    const boxes: Box[] = [];
    for (const crtc of res.crtcs) {
      const info = await conn.call<RandrCrtcInfo>((cb) => randr.GetCrtcInfo(crtc, 0, cb));
      if (info.mode === 0 || info.width === 0 || info.height === 0) continue;
      const output = info.output[0];
      const name =
        output === undefined
          ? `crtc-${crtc}`
          : await conn
              .call<RandrOutputInfo>((cb) => randr.GetOutputInfo(output, 0, cb))
              .then(
                (o) => o.name,
                () => `crtc-${crtc}`,
              );
      const primary = output !== undefined && output === primaryOutput;
      boxes.push({ name, x: info.x, y: info.y, width: info.width, height: info.height, primary });
    }
    return boxes;
  } catch {
    return [];
  }
};

const xineramaMonitors = async (conn: DisplayConnection): Promise<Box[]> => {
  const xinerama = await conn.extension("xinerama");
  if (xinerama === undefined) return [];
  try {
    if (!(await conn.call<number>((cb) => xinerama.IsActive(cb)))) return [];
    const screens = await conn.call<Omit<Box, "name">[]>((cb) => xinerama.QueryScreens(cb));
    return screens.map((s, i) => ({ name: `screen-${i}`, ...s }));
  } catch {
    return [];
  }
};

/** Mirrored outputs share one CRTC geometry; the viewer wants each place on the screen once. */
const distinct = (boxes: Box[]): Box[] =>
  boxes.filter(
    (b, i) =>
      boxes.findIndex((o) => o.x === b.x && o.y === b.y && o.width === b.width && o.height === b.height) ===
      i,
  );

/**
 * RandR is the modern source, but a server running real Xinerama (several X screens joined, as `Xvfb
 * +xinerama` does) shows RandR only one of them; so whichever reports more monitors wins. The primary is
 * RandR's primary output, else the monitor at the origin, else the first.
 */
export const queryMonitors = async (
  conn: DisplayConnection,
  width: number,
  height: number,
): Promise<Monitor[]> => {
  const [randr, xinerama] = await Promise.all([randrMonitors(conn), xineramaMonitors(conn)]);
  const boxes = distinct(randr.length >= xinerama.length ? randr : xinerama);
  if (boxes.length === 0) return singleMonitor(width, height);
  const explicit = boxes.findIndex((b) => b.primary === true);
  const atOrigin = boxes.findIndex((b) => b.x === 0 && b.y === 0);
  const primary = explicit >= 0 ? explicit : Math.max(0, atOrigin);
  return boxes.map(({ name, x, y, width: w, height: h }, id) => ({
    id,
    name,
    x,
    y,
    width: w,
    height: h,
    primary: id === primary,
  }));
};
