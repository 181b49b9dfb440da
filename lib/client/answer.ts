// A DXP answer's body: read within a size limit, then parsed as JSON and checked against
// its lenient schema; the parsed answer's size is remembered for caches bounded by bytes.
import type { z } from "zod";
import { UpstreamError } from "../errors.ts";

/** The answer's body stopped arriving (dropped, or the call's clock ran out); ky retries it like a dropped connection. */
export class BodyCutOff extends Error {}

/** Bytes of each parsed answer's JSON, for caches bounded by size (cheaper than serializing again). */
const answerSizes = new WeakMap<object, number>();

/** The size of a parsed answer: its JSON length when it came from parseAnswer, else measured. */
export function answerSize(value: unknown): number {
  if (typeof value === "object" && value !== null) {
    const known = answerSizes.get(value);
    if (known !== undefined) return known;
  }
  return JSON.stringify(value)?.length ?? 0;
}

/** Texts of answers already read (by the transport, within the size limit), keyed by their Response. */
const readTexts = new WeakMap<Response, string>();

/**
 * A successful answer whose body was already read: the text rides beside a body-less
 * Response, so that parseAnswer does not encode it into a stream and decode it again.
 */
export function answerWithText(text: string, init: ResponseInit): Response {
  const response = new Response(null, init);
  readTexts.set(response, text);
  return response;
}

/** The text answerWithText kept beside a Response, if any. */
export const textOf = (response: Response): string | undefined => readTexts.get(response);

/**
 * Parse and check an answer. `pageSize`: a list answer keeps at most this many `elements`
 * (a page is a page, whatever the DXP sent), cut before they are checked and mapped, so
 * extra elements cost their JSON parse and nothing after it.
 */
export async function parseAnswer<T>(
  response: Response,
  schema: z.ZodType<T>,
  path: string,
  redact: (text: string) => string,
  pageSize?: number,
): Promise<T> {
  if ((response.headers.get("content-type") ?? "").includes("html")) {
    throw new UpstreamError(
      `The DXP answered ${path} with an HTML page instead of JSON (a login page or proxy?).`,
      "Check that NECTAR_DXP_URL points at the DXP instance itself.",
      response.status,
    );
  }
  const text = readTexts.get(response) ?? (await response.text());
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UpstreamError(
      `The DXP's answer to ${path} is not valid JSON (cut off or malformed).`,
      "Try again; if it persists the DXP or a proxy is at fault.",
      response.status,
    );
  }
  const trimmed = pageSize !== undefined && trimElements(body, pageSize);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "(the whole answer)";
    throw new UpstreamError(
      redact(`The DXP's answer to ${path} has an unexpected shape at ${field}: ${issue?.message ?? "invalid"}.`),
      "This server may not match this DXP version; please report it.",
      response.status,
    );
  }
  if (typeof parsed.data === "object" && parsed.data !== null)
    answerSizes.set(parsed.data, trimmed ? (JSON.stringify(parsed.data)?.length ?? 0) : text.length);
  return parsed.data;
}

/** Cut a list answer's `elements` to `pageSize`; true when something was cut. */
function trimElements(body: unknown, pageSize: number): boolean {
  const elements = (body as { elements?: unknown } | null)?.elements;
  if (!Array.isArray(elements) || elements.length <= pageSize) return false;
  elements.length = Math.max(0, pageSize);
  return true;
}

/** The answer-body limit by default and at most: today's cap on decompressed bytes. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Answers this small are always accepted, whatever the heap (a page of 1,000 locations is ~0.3 MiB). */
export const MIN_BODY_BYTES = 1024 * 1024;

/**
 * The answer-body limit for a heap of `heapBytes` (Node: v8.getHeapStatistics().heap_size_limit):
 * a 64th of it, between 1 and 10 MiB. A body costs about 5 times its size while it is read,
 * parsed and checked, so a dozen largest answers at once stay within the heap: 192 MB (the
 * Kubernetes manifest) gives 3 MiB, a default Node heap of 2 GB or more gives 10 MiB.
 */
export function bodyLimitForHeap(heapBytes: number): number {
  if (!Number.isFinite(heapBytes) || heapBytes <= 0) return MAX_BODY_BYTES;
  return Math.min(MAX_BODY_BYTES, Math.max(MIN_BODY_BYTES, Math.floor(heapBytes / 64)));
}

/** The body as text, refused past `maxBytes` (declared or counted as it arrives). */
export async function readLimited(response: Response, maxBytes: number, path: string): Promise<string> {
  const tooLarge = () =>
    new UpstreamError(
      `The DXP's answer to ${path} is larger than ${Math.round(maxBytes / 1048576)} MiB.`,
      "Ask for a smaller page or a shorter time window.",
    );
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const chunk = await reader.read().catch(() => {
      throw new BodyCutOff();
    });
    if (chunk.done) return text + decoder.decode();
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
}
