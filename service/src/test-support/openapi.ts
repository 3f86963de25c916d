/**
 * Checks real responses against docs/openapi.yaml: the route and method must
 * be documented, the status must be one of the operation's responses, the
 * content type one of its media types, and a JSON body must match the
 * schema (Ajv; OpenAPI 3.0 `nullable` is understood by Ajv 8).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { recordedResponses, type RecordedResponse } from './response-recorder';

export const SPEC_PATH = path.join(__dirname, '..', '..', '..', 'docs', 'openapi.yaml');

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
  parameters?: unknown[];
}
export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses?: Record<string, ResponseObject> };
}

let cached: OpenApiDoc | undefined;
export function loadSpec(): OpenApiDoc {
  cached ??= parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDoc;
  return cached;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options'];

/** The spec path template a request path belongs to, or undefined. */
export function matchSpecPath(
  spec: OpenApiDoc,
  rawPath: string,
  prefix: string
): string | undefined {
  let rest: string;
  if (rawPath === '/healthz' || rawPath === '/readyz') {
    rest = rawPath;
  } else if (rawPath.startsWith(prefix)) {
    rest = '/' + rawPath.slice(prefix.length);
  } else {
    return undefined;
  }
  const candidates = Object.keys(spec.paths).filter(template => {
    const pattern = template
      .split(/(\{[^}]+\})/)
      .map(part => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${pattern}$`).test(rest);
  });
  // A literal path wins over a template (none overlap today, but be exact).
  return candidates.sort((a, b) => (a.includes('{') ? 1 : 0) - (b.includes('{') ? 1 : 0))[0];
}

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<unknown, ValidateFunction>();
function validatorFor(spec: OpenApiDoc, schema: unknown): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile({ components: spec.components, allOf: [schema] });
    validators.set(schema, v);
  }
  return v;
}

function resolveResponse(spec: OpenApiDoc, r: ResponseObject): ResponseObject {
  if (r.$ref) {
    const name = r.$ref.replace('#/components/responses/', '');
    return spec.components.responses![name];
  }
  return r;
}

function checkJson(
  spec: OpenApiDoc,
  schema: unknown,
  r: RecordedResponse,
  where: string
): string[] {
  if (r.body === undefined) {
    return [];
  }
  let body: unknown;
  try {
    body = JSON.parse(r.body.toString('utf8'));
  } catch {
    return [`${where}: body is not JSON`];
  }
  const validate = validatorFor(spec, schema);
  if (validate(body)) {
    return [];
  }
  return [
    `${where}: ${ajv.errorsText(validate.errors)} in ${r.body.toString('utf8').slice(0, 300)}`
  ];
}

const baseType = (contentType: string): string => contentType.split(';')[0].trim().toLowerCase();

/** Problems of one response; empty when it conforms. */
export function checkResponse(spec: OpenApiDoc, r: RecordedResponse): string[] {
  const rawPath = r.url.split('?')[0];
  const where = `${r.method} ${rawPath} → ${r.status}`;
  const template = matchSpecPath(spec, rawPath, r.prefix);
  const generic = spec.components.responses!;
  const errorSchema = { $ref: '#/components/schemas/Error' };
  if (r.method === 'HEAD') {
    // HEAD is GET without a body (HTTP semantics; not listed per operation).
    const get = template === undefined ? undefined : spec.paths[template].get;
    return (template === undefined && r.status === 404) ||
      (get && String(r.status) in get.responses)
      ? []
      : [`${where}: HEAD without a documented GET answer`];
  }
  if (template === undefined) {
    // ngshare's catch-all: GET → HTML 404, any other method → 405; a body over the limit → 413.
    if (r.status === 404 && r.method === 'GET' && baseType(r.contentType) === 'text/html') {
      return r.body?.toString().startsWith('<h1>404 Not Found</h1>\n')
        ? []
        : [`${where}: unexpected 404 page`];
    }
    if ((r.status === 405 && r.method !== 'GET') || r.status === 413) {
      return checkJson(spec, errorSchema, r, where);
    }
    return [`${where}: path not documented in docs/openapi.yaml`];
  }
  const operation = spec.paths[template][r.method.toLowerCase()];
  if (!operation) {
    if (r.status === 405 || r.status === 413) {
      return checkJson(spec, errorSchema, r, where);
    }
    return [`${where}: method not documented for ${template}`];
  }
  const documented =
    operation.responses[String(r.status)] ??
    (r.status === 413 || r.status === 405 ? generic[String(r.status)] : undefined) ??
    operation.responses.default;
  if (!documented) {
    return [`${where}: status not documented for ${r.method} ${template}`];
  }
  const response = resolveResponse(spec, documented);
  if (!response.content) {
    return [];
  }
  const type = baseType(r.contentType);
  const media = response.content[type];
  if (!media) {
    return [
      `${where}: content type ${type || '(none)'} not documented (${Object.keys(response.content).join(', ')})`
    ];
  }
  if (type === 'application/json' && media.schema) {
    return checkJson(spec, media.schema, r, where);
  }
  return [];
}

/** Problems of every response recorded so far in this test file. */
export function checkRecordedResponses(): { checked: number; problems: string[] } {
  const spec = loadSpec();
  const problems = new Set<string>();
  for (const r of recordedResponses) {
    for (const p of checkResponse(spec, r)) {
      problems.add(p);
    }
  }
  return { checked: recordedResponses.length, problems: [...problems] };
}

/**
 * Registers a last test in the file: every response its suites produced
 * conforms to docs/openapi.yaml. Call it at the end of a test file.
 */
export function itConformsToOpenApi(): void {
  it('every response of this file conforms to docs/openapi.yaml', () => {
    const { checked, problems } = checkRecordedResponses();
    expect(checked).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
}

export { METHODS };
