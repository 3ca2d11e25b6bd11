// The CLI's client of a running Ringfence server: bearer-key requests to the /v1 API whose error envelope
// `{ error: { code, message, details } }` becomes a CliError carrying the same code.

import { CliError, usageError } from './cli-error.ts';
import type { CliIo } from './command.ts';

/** Where the server is when neither --url nor RINGFENCE_URL says otherwise. */
export const SERVER_URL_DEFAULT = 'http://127.0.0.1:8080';

/** How long one request may take before the CLI gives up. */
const REQUEST_TIMEOUT_MS = 30_000;

/** A server and the key to present to it. */
export interface ServerTarget {
  readonly url: string;
  readonly key: string;
}

/** The options every remote command accepts. */
export const SERVER_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
} as const;

/** Resolves --url/--key against RINGFENCE_URL/RINGFENCE_KEY; a missing key is a usage error. */
export function serverTarget(
  command: string,
  io: CliIo,
  values: { url?: string | undefined; key?: string | undefined },
): ServerTarget {
  const url = values.url ?? io.env.RINGFENCE_URL ?? SERVER_URL_DEFAULT;
  const key = values.key ?? io.env.RINGFENCE_KEY;
  if (key === undefined || key.length === 0)
    throw usageError('an API key is required: pass --key or set RINGFENCE_KEY', command);
  if (!/^https?:\/\//.test(url))
    throw usageError(`--url must start with http:// or https://, got "${url}"`, command);
  return { url: url.replace(/\/+$/, ''), key };
}

/** Sends one request and returns the parsed JSON body; an error response throws a CliError with its code. */
export async function requestJson(
  target: ServerTarget,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const { response, text } = await send(target, method, path, {
    accept: 'application/json',
    ...(body === undefined ? {} : { contentType: 'application/json', body: JSON.stringify(body) }),
  });
  const parsed = parseJsonOrThrow(response, text, method, path);
  if (!response.ok) throw errorFromResponse(response.status, parsed);
  return parsed;
}

/**
 * Sends one request whose success answer is a document (CSV, HTML, plain text) and returns its text; `body`
 * is sent as is with its content type. An error response (the JSON envelope) throws a CliError with its code.
 */
export async function requestText(
  target: ServerTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: { readonly contentType: string; readonly text: string },
): Promise<string> {
  const { response, text } = await send(target, method, path, {
    accept: '*/*',
    ...(body === undefined ? {} : { contentType: body.contentType, body: body.text }),
  });
  if (!response.ok) throw errorFromResponse(response.status, parseJsonOrThrow(response, text, method, path));
  return text;
}

/** Sends `body` (already encoded, with its content type) and returns the parsed JSON answer. */
export async function requestJsonWithBody(
  target: ServerTarget,
  method: 'POST',
  path: string,
  body: { readonly contentType: string; readonly text: string },
): Promise<unknown> {
  const { response, text } = await send(target, method, path, {
    accept: 'application/json',
    contentType: body.contentType,
    body: body.text,
  });
  const parsed = parseJsonOrThrow(response, text, method, path);
  if (!response.ok) throw errorFromResponse(response.status, parsed);
  return parsed;
}

async function send(
  target: ServerTarget,
  method: string,
  path: string,
  options: { readonly accept: string; readonly contentType?: string; readonly body?: string },
): Promise<{ response: Response; text: string }> {
  const init: RequestInit = {
    method,
    headers: {
      authorization: `Bearer ${target.key}`,
      accept: options.accept,
      ...(options.contentType === undefined ? {} : { 'content-type': options.contentType }),
    },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(options.body === undefined ? {} : { body: options.body }),
  };
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new CliError(
      'server_unreachable',
      `cannot reach ${target.url}: ${cause?.code ?? (error as Error).message}`,
      {},
      1,
      {
        cause: error,
      },
    );
  }
  return { response, text: await response.text() };
}

function parseJsonOrThrow(response: Response, text: string, method: string, path: string): unknown {
  try {
    return text.length === 0 ? null : JSON.parse(text);
  } catch {
    throw new CliError(
      'response_invalid',
      `${method} ${path} answered ${response.status} with a body that is not JSON`,
    );
  }
}

/** Builds a query string from the options that are set. */
export function queryString(parameters: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text.length === 0 ? '' : `?${text}`;
}

function errorFromResponse(status: number, body: unknown): CliError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error === undefined || typeof error.code !== 'string') {
    return new CliError('response_invalid', `the server answered ${status} without an error envelope`, {
      status,
    });
  }
  const details =
    typeof error.details === 'object' && error.details !== null
      ? (error.details as Record<string, unknown>)
      : {};
  return new CliError(error.code, typeof error.message === 'string' ? error.message : error.code, {
    ...details,
    status,
  });
}
