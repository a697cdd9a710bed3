/**
 * `v.variant`, checked by its key's value at once. Valibot's variant (1.5) tries its options in
 * turn and, for each whose key does not match, makes a full issue (a message, the value quoted)
 * that it then throws away: with some twenty kinds of trace event, that was most of the time a
 * page took to check a run's events (a CPU profile of a 200,000-event run in Chromium: ~450 of
 * ~700 ms in the variant's option loop and `_addIssue`). This schema looks the option up by the
 * key's literal in a Map and runs that one only; what it accepts and returns is the variant's.
 * Input whose key names no option (or names more than one) goes to the variant itself, so that
 * a failure is described exactly as before.
 */
import * as v from 'valibot';

type Run = (dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>) => v.OutputDataset<unknown, v.BaseIssue<unknown>>;
interface Runnable {
  readonly '~run': Run;
}

/** The literal a variant option requires of `key`: its own, or the one shared by every option of a nested variant. */
function literalOf(option: v.VariantOptions<string>[number] | v.VariantSchema<string, v.VariantOptions<string>, undefined>, key: string): unknown {
  if (option.type === 'variant') {
    const nested = option as v.VariantSchema<string, v.VariantOptions<string>, undefined>;
    const values = new Set(nested.options.map((inner) => literalOf(inner, key)));
    return values.size === 1 ? [...values][0] : undefined;
  }
  const entry = (option as { entries: Record<string, { type: string; literal?: unknown }> }).entries[key];
  return entry?.type === 'literal' ? entry.literal : undefined;
}

export function keyedVariant<const TKey extends string, const TOptions extends v.VariantOptions<TKey>>(
  key: TKey,
  options: TOptions,
): v.VariantSchema<TKey, TOptions, undefined> {
  const schema = v.variant(key, options);
  const byLiteral = new Map<unknown, Runnable>();
  const ambiguous = new Set<unknown>();
  for (const option of options) {
    const literal = literalOf(option, key);
    if (literal === undefined) continue;
    if (byLiteral.has(literal)) ambiguous.add(literal);
    byLiteral.set(literal, option as unknown as Runnable);
  }
  for (const literal of ambiguous) byLiteral.delete(literal);
  const slow = schema['~run'] as unknown as Run;
  const run: Run = (dataset, config) => {
    const input = dataset.value;
    if (input !== null && typeof input === 'object') {
      const option = byLiteral.get((input as Record<string, unknown>)[key]);
      // As the variant itself runs the option it picks: on a fresh dataset of the same value.
      if (option !== undefined && key in input) return option['~run']({ value: input } as v.UnknownDataset, config);
    }
    return slow.call(schema, dataset, config);
  };
  return { ...schema, '~run': run } as unknown as v.VariantSchema<TKey, TOptions, undefined>;
}
