// The in-page half of the test userscript manager (see torn-page.ts): GM_xmlhttpRequest over
// bindings to Node, GM_getValue/GM_setValue, GM_notification (recorded in window.__gmNotifications,
// unless window.__gmNoNotification says this manager has none), and a record of CSP violations.
// Plain JS, injected as text.
(() => {
  const w = window;
  const pending = /* @__PURE__ */ new Map();
  // Ids unique across the tab's pages: after a navigation, Node may still deliver an old page's
  // request (an open stream) to the new page, which must not take it for one of its own.
  let next = Math.floor(Math.random() * 2 ** 40) + 1;
  const enc = new TextEncoder();
  w.__gmEvent = (id, type, p) => {
    const r = pending.get(id);
    if (!r || r.aborted) return;
    const d = r.d;
    if (type === 'headers') {
      r.stream = new ReadableStream({ start: (c) => (r.controller = c) });
      const resp = { status: p.status, readyState: 2, response: r.stream, responseText: '' };
      d.onloadstart?.(resp);
      d.onreadystatechange?.(resp);
    } else if (type === 'chunk') {
      r.controller?.enqueue(enc.encode(p));
    } else if (type === 'load') {
      pending.delete(id);
      if (r.controller) {
        r.controller.close();
        d.onload?.({ status: p.status, readyState: 4, response: r.stream, responseText: '' });
      } else {
        d.onload?.({ status: p.status, readyState: 4, response: p.text, responseText: p.text });
      }
    } else if (type === 'error') {
      pending.delete(id);
      r.controller?.error(new Error(p));
      d.onerror?.({ status: 0, readyState: 4, responseText: '' });
    }
  };
  w.GM_xmlhttpRequest = (d) => {
    const id = next++;
    pending.set(id, { d });
    w.__gmSend(id, { method: d.method ?? 'GET', url: d.url, headers: d.headers, data: d.data, stream: d.responseType === 'stream' });
    return {
      abort() {
        const r = pending.get(id);
        if (!r) return;
        r.aborted = true;
        pending.delete(id);
        w.__gmAbort(id);
        try {
          r.controller?.error(new Error('aborted'));
        } catch {}
        d.onabort?.({ status: 0, readyState: 4 });
      },
    };
  };
  const key = (k) => `__gm_store:${k}`;
  w.GM_getValue = (k, def) => {
    const v = sessionStorage.getItem(key(k));
    return v === null ? def : JSON.parse(v);
  };
  w.GM_setValue = (k, v) => sessionStorage.setItem(key(k), JSON.stringify(v));
  w.GM_deleteValue = (k) => sessionStorage.removeItem(key(k));
  w.__gmNotifications = [];
  if (!w.__gmNoNotification) {
    // Tampermonkey's and Violentmonkey's two forms: (details) or (text, title, image, onclick).
    w.GM_notification = (d, title) =>
      w.__gmNotifications.push(typeof d === 'string' ? { text: d, title } : { title: d.title, text: d.text, tag: d.tag });
  }
  w.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    w.__cspViolations.push({ directive: e.violatedDirective, uri: e.blockedURI }),
  );
})();
