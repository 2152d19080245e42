/**
 * Ungrouped bulk output. Since `groupObjects` defaults to false, Shopify does not promise that a
 * child line follows its parent ("the JSONL file may not be grouped"; shopify-api-ruby issue 729
 * shows them apart): the `scattered` sandbox mode makes that happen, deterministically by seed.
 * Each page's lines are shuffled (so a child may come before its parent) and some children are
 * held back to a later page or the end of the file.
 * https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format
 */

/** Share of child lines held back past their page, and the chance a held line is let out at each later page. */
const HOLD_SHARE = 0.3;
const RELEASE_CHANCE = 0.5;

export interface Scatter {
  /** The lines to write for one page (`last`: the final page, which lets out every held line). */
  page(lines: readonly string[], last: boolean): string[];
}

/**
 * @example
 * const scatter = createScatter(seededRandom(1));
 * scatter.page(['{"id":"gid://shopify/Order/1"}', '{"id":"…","__parentId":"gid://shopify/Order/1"}'], true);
 */
export function createScatter(random: () => number): Scatter {
  let held: string[] = [];
  return {
    page(lines, last) {
      const out: string[] = [];
      const stillHeld: string[] = [];
      for (const line of held) (last || random() < RELEASE_CHANCE ? out : stillHeld).push(line);
      for (const line of lines) (!last && line.includes('"__parentId":') && random() < HOLD_SHARE ? stillHeld : out).push(line);
      held = stillHeld;
      for (let index = out.length - 1; index > 0; index -= 1) {
        const other = Math.floor(random() * (index + 1));
        [out[index], out[other]] = [out[other] as string, out[index] as string];
      }
      return out;
    },
  };
}
