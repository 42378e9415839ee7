// The MIT-SHM segment provider handed to the x11 package: the x11 package's own scheme — an unlinked /dev/shm file
// whose descriptor the server maps (AttachFd) and the client preads — but with the client's copy of the pixels in a
// `FrameMemory`, so the frame the reader returns is where the pixels were read, in the kernels' memory when they run.
import { closeSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import type { ShmProvider, ShmProviderSegment } from "x11";
import type { FrameMemory } from "./frameMemory.ts";

const SHM_DIR = "/dev/shm";
let counter = 0;

export const shmProvider = (memory: FrameMemory): ShmProvider => ({
  flavor: "fd",
  zeroCopy: false,
  create(size) {
    const path = `${SHM_DIR}/tandem-host-${process.pid}-${counter++}`;
    const fd = openSync(path, "w+", 0o600);
    try {
      ftruncateSync(fd, size);
      // Anonymous from here on: the segment lives as long as a descriptor (ours, then the server's) holds it.
      unlinkSync(path);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    const bytes = memory.allocate(size);
    return { size, fd, buffer: Buffer.from(bytes.buffer, bytes.byteOffset, size) };
  },
  commit(seg, offset = 0, length = seg.size - offset) {
    if (length > 0) writeSync(seg.fd!, seg.buffer, offset, length, offset);
  },
  sync(seg, offset = 0, length = seg.size - offset) {
    if (length > 0) readSync(seg.fd!, seg.buffer, offset, length, offset);
  },
  destroy(seg: ShmProviderSegment) {
    if (seg.fd === null) return;
    closeSync(seg.fd);
    seg.fd = null;
  },
});
