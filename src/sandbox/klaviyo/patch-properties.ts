/**
 * `meta.patch_properties` of Klaviyo's profile writes (ProfileMetaPatchProperties in the OpenAPI
 * files): `append` "a simple value or values to this property array", `unappend` "a simple value
 * or values from this property array", `unset` "a key or keys (and their values) completely".
 */
export interface PatchProperties {
  append?: Record<string, unknown> | null;
  unappend?: Record<string, unknown> | null;
  unset?: string | string[] | null;
}

/**
 * Applies the operations in place, in the order append, unappend, unset. Appending to a scalar
 * property turns it into an array holding the old value first.
 *
 * @example
 * const properties: Record<string, unknown> = { skus: ['1'], color: 'red' };
 * applyPatchProperties(properties, { append: { skus: ['2', '3'] }, unappend: { skus: '1' }, unset: 'color' });
 * properties; // { skus: ['2', '3'] }
 */
export function applyPatchProperties(properties: Record<string, unknown>, patch: PatchProperties): void {
  for (const [key, value] of Object.entries(patch.append ?? {})) {
    const current = properties[key];
    const existing = Array.isArray(current) ? current : current === undefined || current === null ? [] : [current];
    properties[key] = [...existing, ...(Array.isArray(value) ? value : [value])];
  }
  for (const [key, value] of Object.entries(patch.unappend ?? {})) {
    const current = properties[key];
    if (!Array.isArray(current)) continue;
    const drop = new Set((Array.isArray(value) ? value : [value]).map((item) => JSON.stringify(item)));
    properties[key] = current.filter((item) => !drop.has(JSON.stringify(item)));
  }
  const unset = patch.unset ?? [];
  for (const key of Array.isArray(unset) ? unset : [unset]) delete properties[key];
}
