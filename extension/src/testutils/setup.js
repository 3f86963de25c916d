// PageConfig (from @jupyterlab/coreutils) reads this element; unit tests get a hub-like page.
if (typeof document !== 'undefined') {
  const el = document.createElement('script');
  el.id = 'jupyter-config-data';
  el.type = 'application/json';
  el.textContent = JSON.stringify({
    baseUrl: '/user/alice/',
    hubPrefix: '/hub/',
    hubUser: 'alice',
    token: 'page-token'
  });
  document.body.appendChild(el);
}

// jsdom lacks these; the extension uses them for base64 <-> UTF-8.
const util = require('util');
if (typeof global.TextEncoder === 'undefined') {
  global.TextEncoder = util.TextEncoder;
  global.TextDecoder = util.TextDecoder;
}

// Lumino (pulled in by @jupyterlab/apputils) touches these at import time; jsdom lacks them.
if (typeof window !== 'undefined') {
  if (typeof window.DragEvent === 'undefined') {
    window.DragEvent = class DragEvent extends window.MouseEvent {};
    global.DragEvent = window.DragEvent;
  }
  if (typeof window.ResizeObserver === 'undefined') {
    window.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
    global.ResizeObserver = window.ResizeObserver;
  }
  if (typeof window.matchMedia === 'undefined') {
    window.matchMedia = () => ({
      matches: false,
      addListener() {},
      removeListener() {},
      addEventListener() {},
      removeEventListener() {}
    });
  }
}
