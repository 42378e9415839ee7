// Grabs one frame from an X display in a process of its own and prints what it saw as JSON: lets tests that run in worker threads check the MIT-SHM path.
// Usage: tsx host/capture/grabProbe.ts <display> <x,y> [<x,y> …]; GRAB_PROBE_KERNELS=off converts pixels in TS.
import { X11Source } from "./x11Source.ts";

const [display, ...points] = process.argv.slice(2);
const source = await X11Source.open({
  ...(display ? { display } : {}),
  useDamage: false,
  useKernels: process.env.GRAB_PROBE_KERNELS !== "off",
});
try {
  const { image } = await source.grab();
  const pixels = points.map((p) => {
    const [x, y] = p.split(",").map(Number) as [number, number];
    const at = (y * image.width + x) * 4;
    return Array.from(image.data.subarray(at, at + 4));
  });
  console.log(
    JSON.stringify({
      readPath: source.readPath,
      pixelKernels: source.pixelKernels,
      width: image.width,
      height: image.height,
      pixels,
    }),
  );
} finally {
  await source.close();
}
