import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InternalError } from '../errors.ts';
import { loadKlaviyoOperations, KLAVIYO_SCHEMA_DIR, type KlaviyoOperation } from './klaviyo-operations.ts';
import { componentsToJsonSchemaDocument, openApiSchemaToJsonSchema } from './openapi-to-json-schema.ts';

/** One way a body fails its schema: where (a JSON pointer into the body) and what. */
export interface SchemaError {
  pointer: string;
  message: string;
}

export interface KlaviyoValidator {
  operations: ReadonlyMap<string, KlaviyoOperation>;
  /** Errors of a request body against the operation's request schema ([] = valid). */
  validateRequest(operationId: string, body: unknown): SchemaError[];
  /** Errors of a response body against the operation's schema for that status ([] = valid). */
  validateResponse(operationId: string, status: number, body: unknown): SchemaError[];
}

/**
 * Builds a validator over the Klaviyo OpenAPI operation files in `dir`, compiling each schema
 * with ajv (+ ajv-formats for `date-time` and `uri`) the first time it is needed.
 *
 * @example
 * const validator = createKlaviyoValidator();
 * validator.validateRequest('create_list', { data: { type: 'list', attributes: {} } });
 * // [{ pointer: '/data/attributes/name', message: "'name' is a required property" }]
 */
export function createKlaviyoValidator(dir: string = KLAVIYO_SCHEMA_DIR): KlaviyoValidator {
  const operations = loadKlaviyoOperations(dir);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  const documentIds = new Map<string, string>();
  for (const operation of operations.values()) {
    if (documentIds.has(operation.file)) continue;
    const id = `urn:klaviyo:${operation.file}`;
    documentIds.set(operation.file, id);
    ajv.addSchema(componentsToJsonSchemaDocument(operation.document, id));
  }
  const compiled = new Map<string, ValidateFunction>();

  const compile = (key: string, operation: KlaviyoOperation, schema: unknown): ValidateFunction => {
    const cached = compiled.get(key);
    if (cached) return cached;
    const id = documentIds.get(operation.file) as string;
    const validate = ajv.compile(openApiSchemaToJsonSchema(schema as never, id) as object);
    compiled.set(key, validate);
    return validate;
  };
  const find = (operationId: string): KlaviyoOperation => {
    const operation = operations.get(operationId);
    if (!operation) throw new InternalError(`Klaviyo OpenAPI: no operation "${operationId}" in ${dir}`);
    return operation;
  };

  return {
    operations,
    validateRequest(operationId, body) {
      const operation = find(operationId);
      if (operation.requestSchema === null) {
        return body === undefined ? [] : [{ pointer: '', message: `${operationId} takes no request body` }];
      }
      const validate = compile(`${operationId} request`, operation, operation.requestSchema);
      return validate(body) ? [] : toSchemaErrors(validate.errors ?? []);
    },
    validateResponse(operationId, status, body) {
      const operation = find(operationId);
      const key = operation.responseSchemas.has(String(status)) ? String(status) : `${String(status).charAt(0)}XX`;
      if (!operation.responseSchemas.has(key)) {
        return [{ pointer: '', message: `status ${status} is not a documented response of ${operationId}` }];
      }
      const schema = operation.responseSchemas.get(key) ?? null;
      if (schema === null) {
        const empty = body === undefined || body === null || body === '';
        return empty ? [] : [{ pointer: '', message: `status ${status} of ${operationId} has no body, got one` }];
      }
      const validate = compile(`${operationId} ${key}`, operation, schema);
      return validate(body) ? [] : toSchemaErrors(validate.errors ?? []);
    },
  };
}

function toSchemaErrors(errors: ErrorObject[]): SchemaError[] {
  return errors.map((error) => {
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { pointer: `${error.instancePath}/${missing}`, message: `'${missing}' is a required property` };
    }
    return { pointer: error.instancePath, message: error.message ?? error.keyword };
  });
}

let shared: KlaviyoValidator | null = null;

/**
 * The validator over the repo's `schemas/klaviyo/` files, built on first use and shared.
 *
 * @example
 * klaviyoValidator().operations.get('get_lists')?.path; // '/api/lists'
 */
export function klaviyoValidator(): KlaviyoValidator {
  shared ??= createKlaviyoValidator();
  return shared;
}

/**
 * Validates a request body against the Klaviyo operation's OpenAPI request schema.
 *
 * @example
 * validateKlaviyoRequest('add_profiles_to_list', { data: [{ type: 'profile', id: '01H...' }] }); // []
 */
export function validateKlaviyoRequest(operationId: string, body: unknown): SchemaError[] {
  return klaviyoValidator().validateRequest(operationId, body);
}

/**
 * Validates a response body against the Klaviyo operation's OpenAPI schema for `status`
 * (exact status first, then `4XX`/`5XX`); an operation's 204 must have no body.
 *
 * @example
 * validateKlaviyoResponse('remove_profiles_from_list', 204, undefined); // []
 */
export function validateKlaviyoResponse(operationId: string, status: number, body: unknown): SchemaError[] {
  return klaviyoValidator().validateResponse(operationId, status, body);
}
