// One domain event's JSON, made once and shared: the event log stores it and the gateway sends the same text to
// every agent the event concerns (R-D2, issue 6: each event was serialised twice, once per use).
import type { RecordedEvent } from "../../actors/index.ts";

const texts = new WeakMap<RecordedEvent, string>();

/** `JSON.stringify(e)`, computed at the first call for this event object. Recorded events are never changed. */
export function eventJson(e: RecordedEvent): string {
  let text = texts.get(e);
  if (text === undefined) {
    text = JSON.stringify(e);
    texts.set(e, text);
  }
  return text;
}
