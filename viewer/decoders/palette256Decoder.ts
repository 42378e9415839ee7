// PALETTE256 (R-V6): a palette of up to 256 RGB colours and bit-packed indices in one raw LZ4 block. Drawn as the
// palette runs are (the display's index loops, WebAssembly in the console's worker): the tile is filled with colour 0
// first, so that index 0 — which those loops read as "keep" — shows it.
import {
  decodeError,
  Encoding,
  type FrameDecodeError,
  paletteBitsPerIndex,
  paletteIndexOffset,
  paletteRowBytes,
} from "../../protocol/frame/index.ts";
import type { BlockInflater } from "./blockInflater.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createPalette256Decoder = (inflater: BlockInflater): TileDecoder => {
  const palette = new Uint32Array(256);
  return {
    encoding: Encoding.PALETTE256,
    needsReference: false,
    drawsOwnTile: true,
    draw: ({ record, rect, display }): FrameDecodeError | undefined => {
      const p = record.payload;
      if (p.length < 1) return decodeError("BadPayload", "empty PALETTE256 payload");
      const entries = p[0]! + 1;
      const head = paletteIndexOffset(entries);
      if (p.length < head) return decodeError("BadPayload", `palette of ${entries} colours cut short`);
      const bits = paletteBitsPerIndex(entries);
      const packed = inflater.lz4(p.subarray(head), rect.height * paletteRowBytes(rect.width, bits));
      if (packed === undefined) return decodeError("BadPayload", "corrupt palette indices");
      for (let k = 0; k < entries; k++)
        palette[k] = display.wordOf(p[1 + k * 3]!, p[2 + k * 3]!, p[3 + k * 3]!);
      display.fillRgb(rect, p[1]!, p[2]!, p[3]!);
      // Indices 1…entries − 1 draw palette[k]; one past the palette fails the record.
      const drawn =
        bits === 8
          ? display.putIndexed(rect, packed, palette, entries - 1)
          : display.putPackedIndexed(rect, packed, bits, palette, entries - 1);
      return drawn ? undefined : decodeError("BadPayload", "palette index past the palette");
    },
  };
};
