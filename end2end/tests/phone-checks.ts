// What phone.spec.ts measures in a page: each function runs inside the page (so it is
// self-contained) and returns what it found wrong, in words a person can act on.
import type { Page } from '@playwright/test';

/** The tap targets WCAG 2.2's 2.5.8 (Target Size, Minimum) speaks of. */
const TARGETS = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"]';

/**
 * What is wrong with the page as it is laid out now:
 * - a target smaller than 24 × 24 CSS px, unless it is a link inside running text
 *   (WCAG's inline exception; its spacing exception is not used: every target here
 *   is meant to be large enough);
 * - with `words`, a word broken inside itself: a text node on more lines than it has
 *   words (unless one of them is wider than a phone's line: long single tokens that
 *   people type are layout.spec.ts's business);
 * - with `helpButton`, once scrolled to the end, text or a control under the help
 *   chat's floating button;
 * - the page wider than the window (sideways scroll).
 * With `within` (a selector), only the targets inside that element are checked.
 */
export async function pageProblems(
  page: Page,
  checks: { words: boolean; helpButton: boolean; within?: string },
): Promise<string[]> {
  return page.evaluate(
    ({ checks, selector }) => {
      const problems: string[] = [];
      const visible = (el: Element) =>
        el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) &&
        !el.closest('.visually-hidden');
      const describe = (el: Element) => {
        const text = (el.getAttribute('aria-label') || (el as HTMLElement).innerText || el.getAttribute('value') || el.getAttribute('name') || '')
          .replace(/\s+/g, ' ').trim().slice(0, 40);
        const type = el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : '';
        const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
        return `<${el.tagName.toLowerCase()}${type}${cls}> "${text}"`;
      };
      const isBlock = (el: Element) => !['inline', 'contents'].includes(getComputedStyle(el).display);
      // A link inside running text: inline, in a block that has words of its own
      // (not only other links, separators or a label).
      const inRunningText = (el: Element) => {
        if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
        let block = el.parentElement;
        while (block && !isBlock(block)) block = block.parentElement;
        if (!block) return false;
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let own = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.parentElement?.closest('a, button, label, .visually-hidden')) own += n.textContent;
        }
        return /\p{L}{2,}/u.test(own);
      };
      const scope = checks.within ? document.querySelector(checks.within)! : document;
      const targets = [...scope.querySelectorAll(selector)].filter((el) => {
        if (!visible(el)) return false;
        const r = el.getBoundingClientRect();
        // The skip link waits off-screen until it is focused.
        return r.width > 0 && r.height > 0 && r.right > 0;
      });

      for (const el of targets) {
        const r = el.getBoundingClientRect();
        if ((r.width >= 23.99 && r.height >= 23.99) || inRunningText(el)) continue;
        problems.push(`target ${describe(el)} is ${r.width.toFixed(1)} × ${r.height.toFixed(1)} px`);
      }

      // Text nodes as they are drawn: the lines each takes.
      const texts: { node: Text; rects: DOMRect[] }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (!parent || !n.textContent?.trim()) continue;
        if (parent.closest('script, style, noscript, template, textarea, select, option') || !visible(parent)) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
        if (rects.length) texts.push({ node: n as Text, rects });
      }

      if (checks.words) {
        // A word wider than a phone's line (a long token someone typed, which other
        // tests leave in the shared database) must break; layout.spec.ts sees to those.
        const line = document.documentElement.clientWidth - 32;
        const measure = document.createElement('canvas').getContext('2d')!;
        for (const { node, rects } of texts) {
          const tops: number[] = [];
          for (const r of rects) if (!tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
          // A line may end at a space, after a hyphen, a dash or a slash.
          const words = node.textContent!.trim().split(/\s+|(?<=[-‐–—/])/).filter((w) => w.length);
          if (tops.length <= words.length) continue;
          measure.font = getComputedStyle(node.parentElement!).font;
          if (words.some((w) => measure.measureText(w).width > line)) continue;
          const text = node.textContent!.replace(/\s+/g, ' ').trim().slice(0, 50);
          problems.push(`"${text}" in ${describe(node.parentElement!)} takes ${tops.length} lines for ${words.length} word(s)`);
        }
      }

      if (checks.helpButton) {
        const launcher = document.querySelector('marktchat-widget')?.shadowRoot?.querySelector('.launch');
        if (!launcher) {
          problems.push('the help chat button is missing');
        } else {
          window.scrollTo(0, document.documentElement.scrollHeight);
          const b = launcher.getBoundingClientRect();
          const under = (r: DOMRect) =>
            Math.min(r.right, b.right) - Math.max(r.left, b.left) > 1 &&
            Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top) > 1;
          for (const el of targets) {
            if (under(el.getBoundingClientRect())) problems.push(`the help button covers ${describe(el)}`);
          }
          for (const { node } of texts) {
            const range = document.createRange();
            range.selectNodeContents(node);
            if ([...range.getClientRects()].some(under)) {
              problems.push(`the help button covers the text "${node.textContent!.trim().slice(0, 40)}"`);
            }
          }
          window.scrollTo(0, 0);
        }
      }

      const html = document.documentElement;
      if (html.scrollWidth > html.clientWidth) {
        problems.push(`the page is ${html.scrollWidth} px wide in a ${html.clientWidth} px window`);
      }
      return problems;
    },
    { checks, selector: TARGETS },
  );
}

/** The header's height in CSS px (rounded). */
export async function headerHeight(page: Page): Promise<number> {
  return page.evaluate(() => Math.round(document.querySelector('.site-header')!.getBoundingClientRect().height));
}

/** Opens every closed menu (`<details>`) in the header, as a person would: a click.
 * Returns how many it opened. */
export async function openHeaderMenus(page: Page): Promise<number> {
  let opened = 0;
  for (const summary of await page.locator('.site-header details:not([open]) > summary').all()) {
    if (await summary.isVisible()) {
      await summary.click();
      opened += 1;
    }
  }
  return opened;
}

/** What the header offers now: its visible links (by address) and buttons (by name). */
export async function headerFunctions(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.site-header a[href], .site-header button')]
      .filter((el) => el.checkVisibility({ visibilityProperty: true }))
      .map((el) => (el.tagName === 'A' ? `link ${el.getAttribute('href')}` : `button "${(el as HTMLElement).innerText.trim()}"`)),
  );
}
