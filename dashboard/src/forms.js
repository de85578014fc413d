// Parsing the create form's free-text fields.

import { api } from './api.js';

class FormError extends Error {}

/** "KEY=VALUE" per line (blank lines and # comments skipped) → {KEY: VALUE}. */
export function parseEnv(text) {
  const env = {};
  for (const raw of String(text || '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new FormError(`Environment line "${line}" is not KEY=VALUE`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

/** "k=v, k2=v2" → {k: v, k2: v2}. */
export function parseLabels(text) {
  const labels = {};
  for (const raw of String(text || '').split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new FormError(`Label "${item}" is not key=value`);
    labels[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return labels;
}

let templateCache = null;
let templateCacheAt = 0;

/**
 * The create field "image or template": a template id (tpl_…) or the name of one of
 * the user's templates becomes template_id, anything else is an image.
 */
export async function sourceField(source) {
  if (source.startsWith('tpl_')) return { template_id: source };
  if (!templateCache || Date.now() - templateCacheAt > 30000) {
    try {
      templateCache = await api('/templates');
      templateCacheAt = Date.now();
    } catch {
      templateCache = [];
    }
  }
  const match = (templateCache || []).find((t) => t.name === source || t.id === source);
  return match ? { template_id: match.id || source } : { image: source };
}
