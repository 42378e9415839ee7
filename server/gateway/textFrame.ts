// A text message framed once and written as it is to every socket it goes to (R-D2, issue 6). A server's frames are
// not masked (RFC 6455 §5.1), so each recipient gets the same bytes; ws's `send` would build a header and encode the
// string again for every socket, and hand the socket a string to convert once more when it flushes.

/** The whole WebSocket frame (FIN, text opcode, unmasked) of `text`. */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, headerBytes, "utf8");
  return frame;
}
