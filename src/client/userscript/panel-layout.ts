/**
 * Where the panel sits, remembered across pages: open, at an offset from the viewport's bottom-right
 * corner (dragged by its header); collapsed, a narrow tab on the left or right edge at a height the
 * member chose (dragged along the edge). The tab stays at an edge, so that it never lies over Torn's
 * attack button or the Call/Release buttons at the end of the war list's rows.
 */
import type { Store } from '../core/storage.js';

const LAYOUT_KEY = 'torncat.panel';

export interface PanelLayout {
  collapsed: boolean;
  /** The open panel's offsets from the viewport's bottom-right corner, in px. */
  right: number;
  bottom: number;
  /** The collapsed tab's edge, and its top as a fraction of the viewport's height (kept when the window resizes). */
  tabSide: 'left' | 'right';
  tabTop: number;
}

const DEFAULT_LAYOUT: Readonly<PanelLayout> = { collapsed: false, right: 8, bottom: 8, tabSide: 'left', tabTop: 0.3 };

/** The stored layout, with the default for anything missing or malformed. */
export function readLayout(store: Store | undefined): PanelLayout {
  const d = DEFAULT_LAYOUT;
  try {
    const v = JSON.parse(store?.get(LAYOUT_KEY) ?? 'null') as Partial<PanelLayout> | null;
    const px = (n: unknown, def: number) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : def);
    const frac = typeof v?.tabTop === 'number' && v.tabTop >= 0 && v.tabTop <= 1 ? v.tabTop : d.tabTop;
    return {
      collapsed: v?.collapsed === true,
      right: px(v?.right, d.right),
      bottom: px(v?.bottom, d.bottom),
      tabSide: v?.tabSide === 'right' ? 'right' : 'left',
      tabTop: frac,
    };
  } catch {
    return { ...d };
  }
}

export function saveLayout(store: Store | undefined, layout: PanelLayout): void {
  store?.set(LAYOUT_KEY, JSON.stringify(layout));
}

/** How far a press must move before it is a drag rather than a tap, in px. */
const DRAG_SLOP = 6;

/**
 * Drags the collapsed tab along the screen's edges: up and down, and to whichever side the pointer
 * is nearer when let go. A press that does not move is a tap, left to the tab's click handler;
 * `wasDrag()` tells that handler whether the click ends a drag instead.
 */
export function dragTab(tab: HTMLElement, layout: PanelLayout, moved: () => void, done: () => void): { wasDrag(): boolean } {
  let start: { x: number; y: number; top: number } | null = null;
  let dragged = false;
  tab.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    start = { x: e.clientX, y: e.clientY, top: tab.getBoundingClientRect().top };
    dragged = false;
    tab.setPointerCapture(e.pointerId);
  });
  tab.addEventListener('pointermove', (e) => {
    if (!start) return;
    if (!dragged && Math.hypot(e.clientX - start.x, e.clientY - start.y) < DRAG_SLOP) return;
    dragged = true;
    const h = Math.max(1, window.innerHeight);
    layout.tabTop = Math.min(1, Math.max(0, (start.top + (e.clientY - start.y)) / h));
    layout.tabSide = e.clientX > window.innerWidth / 2 ? 'right' : 'left';
    moved();
  });
  const end = () => {
    if (!start) return;
    start = null;
    if (dragged) done();
  };
  tab.addEventListener('pointerup', end);
  tab.addEventListener('pointercancel', end);
  return {
    wasDrag: () => {
      const d = dragged;
      dragged = false;
      return d;
    },
  };
}

/** Moves the open panel by its header (mouse or finger); the place is kept once let go. */
export function dragPanel(header: HTMLElement, layout: PanelLayout, moved: () => void, done: () => void): void {
  let start: { x: number; y: number; right: number; bottom: number } | null = null;
  header.addEventListener('pointerdown', (e) => {
    if ((e.target as HTMLElement).closest('button') || e.button !== 0) return;
    start = { x: e.clientX, y: e.clientY, right: layout.right, bottom: layout.bottom };
    header.setPointerCapture(e.pointerId);
  });
  header.addEventListener('pointermove', (e) => {
    if (!start) return;
    layout.right = Math.max(0, Math.round(start.right - (e.clientX - start.x)));
    layout.bottom = Math.max(0, Math.round(start.bottom - (e.clientY - start.y)));
    moved();
  });
  const end = () => {
    if (!start) return;
    start = null;
    done();
  };
  header.addEventListener('pointerup', end);
  header.addEventListener('pointercancel', end);
}
