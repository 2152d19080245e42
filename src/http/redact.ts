/**
 * Removes credentials from text that may reach a log or an error message: Shopify Admin tokens
 * (`shpat_…`, `shpca_…`), Klaviyo private keys (`pk_…`) and any secret passed explicitly.
 *
 * @example
 * redact('token shpat_abc123 failed') // 'token shpat_[redacted] failed'
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b(shp(?:at|ca|pa|ss)_|pk_)[A-Za-z0-9]+/g, '$1[redacted]');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
