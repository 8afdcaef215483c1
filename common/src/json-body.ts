// JSON request bodies for the monolith and the extracted services: one rule for
// what is refused and how it is described, so every side answers the same.
import type { RequestHandler } from 'express';
import { z } from 'zod';

/** The `type` of the error `refuseNonJsonBodies` passes on, like body-parser's `entity.*` types. */
export const UNSUPPORTED_BODY_TYPE = 'entity.unsupported.type';

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** "text/plain" from "text/plain; charset=utf-8", cut short and printable: it is echoed to the client. */
function mediaTypeOf(header: string): string {
  const type = header.split(';')[0].trim().toLowerCase();
  return type.replace(/[^\x21-\x7e]/g, '?').slice(0, 80) || '(empty)';
}

/**
 * A write whose body is not `application/json` (text/plain, a form, no
 * content type at all) is refused with 415 before a route reads it; without
 * this the route would see no body and answer "name: is required".
 */
export function refuseNonJsonBodies(): RequestHandler {
  return (req, _res, next) => {
    if (!WRITES.has(req.method) || !hasBody(req.headers) || req.is('application/json')) {
      next();
      return;
    }
    const header = req.headers['content-type'];
    const sent = header ? `is ${mediaTypeOf(header)}` : 'has no Content-Type';
    const error = Object.assign(
      new Error(`request body ${sent}: send JSON with the header "Content-Type: application/json"`),
      { status: 415, expose: true, type: UNSUPPORTED_BODY_TYPE },
    );
    next(error);
  };
}

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  format?: string;
  pattern?: string;
};

/** A sample string that fits the usual shapes: an e-mail address, a two-letter code. */
function sampleString(schema: JsonSchema): string {
  if (schema.format === 'email') return 'ada@example.com';
  if (schema.pattern && /\]\{2\}\$$/.test(schema.pattern)) return 'GB';
  return 'text';
}

function sampleOf(schema: JsonSchema): unknown {
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, sampleOf(schema.properties?.[key] ?? {})]),
      );
    case 'array':
      return schema.items ? [sampleOf(schema.items)] : [];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string':
      return sampleString(schema);
    default:
      return null;
  }
}

/** The smallest body an endpoint's schema accepts in shape: its required fields with sample values. */
export function exampleBodyOf(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  return JSON.stringify(sampleOf(json));
}

/**
 * When an endpoint expects a JSON object and got JSON `null`, a string, a
 * number or an array, the message to send, with an example for this endpoint.
 */
export function describeNonObjectBody(schema: z.ZodType, input: unknown): string | undefined {
  if (input === undefined || !(schema instanceof z.ZodObject)) return undefined;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return undefined;
  const got = input === null ? 'null' : Array.isArray(input) ? 'an array' : `a ${typeof input}`;
  return `body must be a JSON object, not ${got}; e.g. ${exampleBodyOf(schema)}`;
}
