// Viewer hotkeys when enabled (R-V5): F6 send clipboard, F8 highlighter, F9 arrow, F10 chat focus, F11 pen, F12 clear, Esc mouse.

export type HotkeyAction =
  | { type: "clipboard.send" }
  | { type: "tool.select"; tool: "highlighter" | "arrow" | "pen" | "mouse" }
  | { type: "focus.toggleChat" }
  | { type: "annotations.clear" };

const table: Record<string, HotkeyAction> = {
  F6: { type: "clipboard.send" },
  F8: { type: "tool.select", tool: "highlighter" },
  F9: { type: "tool.select", tool: "arrow" },
  F10: { type: "focus.toggleChat" },
  F11: { type: "tool.select", tool: "pen" },
  F12: { type: "annotations.clear" },
  Escape: { type: "tool.select", tool: "mouse" },
};

/** The action for a key, or null when hotkeys are off or the key is not one of them. */
export function hotkeyAction(key: string, enabled: boolean): HotkeyAction | null {
  return enabled ? (table[key] ?? null) : null;
}

/** What a key typed on the shared screen does there: a hotkey, Esc out of a drawing tool, or nothing (null). */
export type ScreenKeyAction = HotkeyAction | { type: "key.escape" };

/**
 * R-V4, R-V5: Esc leaves a drawing tool for the mouse when hotkeys are on, or where it is the tools' own way out
 * (`escapeToMouse`: the customer's page, which has no hotkeys). With the mouse already in hand Esc changes nothing
 * here, so it stays the shared machine's key under control. Null: the key is not the viewer's.
 */
export function screenKeyAction(
  key: string,
  o: { hotkeys: boolean; escapeToMouse?: boolean; tool: string },
): ScreenKeyAction | null {
  if (key !== "Escape") return hotkeyAction(key, o.hotkeys);
  return (o.hotkeys || o.escapeToMouse === true) && o.tool !== "mouse" ? { type: "key.escape" } : null;
}
