/* marktchat help-bot widget, part 1: the launcher and the closed panel. Embed with
 * <script src="https://HOST/widget.js" async data-language="de|en" data-position="right|left" data-colour="#0f766e"></script>
 * It makes no request, opens no socket and writes no cookie or storage until the visitor
 * starts the chat, sends a message or deletes transcripts; then widget-chat.js (part 2:
 * the socket and the chat) is loaded from the same place. */
(() => {
  'use strict';
  const HUB = Symbol.for('marktchat.widget');
  if (window[HUB]) return; // loaded twice: the first one is the widget
  const hub = (window[HUB] = {});
  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const T = {
    de: {
      open: 'Hilfe-Chat öffnen', title: 'Hilfe-Chat', close: 'Schließen',
      intro: 'Ich bin ein Bot: Ich beantworte häufige Fragen und helfe dir, Anzeigen zu finden. Der Chat wird gespeichert, damit die Betreiber die Antworten verbessern können – außer du chattest privat. Verbunden wird erst, wenn du schreibst oder den Chat startest.',
      priv: 'Privat chatten – nichts speichern', msg: 'Nachricht an den Hilfe-Bot', send: 'Senden', start: 'Chat starten',
      log: 'Chatverlauf', bot: 'Bot: ', you: 'Du: ', delTitle: 'Verläufe löschen', earlier: 'Frühere Verläufe löschen',
      byCode: 'Code eingeben und löschen', del: 'Löschen', failed: 'Der Chat ist gerade nicht erreichbar. Bitte versuch es später noch einmal.',
    },
    en: {
      open: 'Open help chat', title: 'Help chat', close: 'Close',
      intro: 'I am a bot: I answer common questions and help you find listings. The chat is stored so the operators can improve the answers – unless you chat privately. Nothing connects until you write or start the chat.',
      priv: 'Chat privately – store nothing', msg: 'Message to the help bot', send: 'Send', start: 'Start chat',
      log: 'Chat transcript', bot: 'Bot: ', you: 'You: ', delTitle: 'Delete transcripts', earlier: 'Delete earlier transcripts',
      byCode: 'Delete by code', del: 'Delete', failed: 'The chat cannot be reached right now. Please try again later.',
    },
  };
  const STYLE = `:host{all:initial!important}
.w{all:initial;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933}
.w *{box-sizing:border-box;font:inherit;color:inherit;margin:0}
[hidden]{display:none!important}
button{cursor:pointer;border:1px solid #7b8794;border-radius:8px;padding:6px 11px;background:#fff;text-align:center}
:focus-visible{outline:3px solid #f59e0b!important;outline-offset:2px}
.launch{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border:0;border-radius:50%;background:var(--c);box-shadow:0 2px 10px #0005;z-index:2147483647}
.launch:before{content:"";position:absolute;left:15px;top:15px;width:26px;height:19px;border-radius:6px;background:#fff}
.launch:after{content:"";position:absolute;left:20px;top:32px;border:5px solid transparent;border-top-color:#fff;border-left-color:#fff}
.panel{position:fixed;bottom:88px;right:20px;width:min(370px,calc(100vw - 40px));height:min(590px,calc(100vh - 108px));display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px #0006;overflow:hidden;z-index:2147483647}
.l .launch,.l .panel{right:auto;left:20px}
.head{display:flex;align-items:center;justify-content:space-between;padding:10px 14px;background:var(--c);color:#fff;font-weight:700}
.x{border:0;background:none;font-size:22px;line-height:1;padding:2px 8px}
.panel{overflow:auto}
.main{flex:1 0 150px;overflow:auto;padding:12px 14px;display:flex;flex-direction:column;gap:10px}
.status{padding:8px 14px;background:#f0fdfa;border-bottom:1px solid #d9e2ec;font-size:13px}
.intro,.hint,.s,details{font-size:13px;color:#52606d}
.running button,details button{font-size:13px;padding:4px 9px}
.hint{flex-basis:100%}
.code{font:700 17px/1.3 ui-monospace,monospace;letter-spacing:1px;color:#1f2933}
.log{display:flex;flex-direction:column;gap:8px}
.m{max-width:88%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.b{align-self:flex-start;background:#eef2f5}
.v{align-self:flex-end;background:var(--c);color:#fff}
.s{align-self:center;text-align:center}
.m ul{margin-top:6px;padding-left:18px}
.m>a{display:block;margin-top:6px}
a{color:#0b57d0;text-decoration:underline}
.qr{display:flex;flex-wrap:wrap;gap:6px}
.qr button{border-color:var(--c);font-size:14px}
.foot{border-top:1px solid #d9e2ec;padding:10px 14px;display:flex;flex-direction:column;gap:8px}
.row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
input[type=text]{flex:1;min-width:0;padding:7px 10px;border:1px solid #7b8794;border-radius:8px;background:#fff}
.pri{background:var(--c);color:#fff;border-color:var(--c)}
.opt{display:flex;gap:8px;align-items:center;font-size:14px}
summary{cursor:pointer}
details .row{margin-top:6px}
label.hint{margin-bottom:-4px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.panel,.l .panel{inset:0;width:auto;height:auto;border-radius:0}}`;

  /** An element with properties (attributes for aria-* and role), listeners (onx, never
   * throwing into the page) and children (strings become text nodes, never HTML). */
  const h = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    for (const k in props) {
      const v = props[k];
      if (k.startsWith('on')) {
        e.addEventListener(k.slice(2), (ev) => {
          try {
            v(ev);
          } catch (x) { /* never break the host page */ }
        });
      } else if (k.startsWith('aria-') || k == 'role') e.setAttribute(k, v);
      else e[k] = v;
    }
    e.append(...kids);
    return e;
  };
  const button = (text, onclick, className) => h('button', { type: 'button', textContent: text, onclick, className: className || '' });

  function init() {
    const data = (script && script.dataset) || {};
    const src = new URL((script && script.src) || '/widget.js', location.href);
    const pick = (v) => ((v = (v || '').slice(0, 2).toLowerCase()) == 'de' || v == 'en' ? v : '');
    const lang = pick(data.language) || pick(document.documentElement.lang) || 'de';
    const t = T[lang];
    const wanted = data.colour || data.color;
    const colour = wanted && window.CSS && CSS.supports('color', wanted) ? wanted : '#0f766e';

    const host = h('marktchat-widget');
    const root = host.attachShadow({ mode: 'open' });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.append(h('style', { textContent: STYLE })); // older browsers (a strict CSP blocks it)
    }
    const launch = button('', () => show(panel.hidden), 'launch');
    launch.setAttribute('aria-label', t.open);
    launch.setAttribute('aria-expanded', 'false');
    launch.setAttribute('aria-controls', 'mc-panel');
    const input = h('input', { type: 'text', className: 'in', maxLength: 1000, autocomplete: 'off', placeholder: t.msg, 'aria-label': t.msg });
    const priv = h('input', { type: 'checkbox', className: 'priv' });
    const intro = h('p', { className: 'intro', textContent: t.intro });
    const status = h('p', { className: 'status', role: 'status', hidden: true });
    const log = h('div', { className: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t.log });
    const main = h('div', { className: 'main' }, intro, log);
    const start = button(t.start, () => chat('start'), 'pri start');
    const running = h('div', { className: 'row running', hidden: true });
    const codeInput = h('input', { type: 'text', id: 'mc-code', className: 'codein', maxLength: 64, autocomplete: 'off', spellcheck: false, placeholder: 'K7QM-4XPA-92TD' });
    const close = button('×', () => show(0), 'x');
    close.setAttribute('aria-label', t.close);
    const form = (then, ...kids) => h('form', { className: 'row', onsubmit: (e) => {
      e.preventDefault();
      then();
    } }, ...kids);
    const send = form(() => {
      const text = input.value.trim();
      input.value = '';
      if (text) chat('say', text);
    }, input, h('button', { className: 'pri', textContent: t.send }));
    const byCode = form(() => chat('code', codeInput.value.trim()), h('label', { className: 'hint', htmlFor: 'mc-code', textContent: t.byCode }), codeInput, h('button', { textContent: t.del }));
    const panel = h('div', { id: 'mc-panel', className: 'panel', role: 'dialog', 'aria-label': t.title, hidden: true },
      h('div', { className: 'head' }, h('span', { textContent: t.title }), close),
      status,
      main,
      h('div', { className: 'foot' }, send, h('label', { className: 'opt' }, priv, t.priv), start, running,
        h('details', {}, h('summary', { textContent: t.delTitle }),
          h('div', { className: 'row' }, button(t.earlier, () => chat('earlier'), 'earlier')), byCode)));
    const w = h('div', { className: 'w' + (data.position == 'left' ? ' l' : ''), lang, onkeydown: (e) => {
      if (e.key == 'Escape' && !panel.hidden) show(0);
    } }, launch, panel);
    w.style.setProperty('--c', colour);
    root.append(w);
    document.body.append(host);

    function show(open) {
      panel.hidden = !open;
      launch.setAttribute('aria-expanded', String(!!open));
      (open ? input : launch).focus();
    }
    /** A line in the log: `b` the bot, `v` the visitor, `s` the widget itself. */
    const bubble = (who, text) => {
      const m = h('div', { className: 'm ' + who }, who == 's' ? '' : h('span', { className: 'sr', textContent: who == 'v' ? t.you : t.bot }), text);
      log.append(m);
      main.scrollTop = main.scrollHeight;
      return m;
    };

    // Actions wait here until part 2 is loaded; it then takes them over.
    let pending = null;
    let chat = (...action) => {
      if (!pending) {
        pending = [];
        hub.chat = (part2) => {
          try {
            chat = part2({ h, button, bubble, lang, src, main, log, input, priv, intro, start, status, running, codeInput });
            pending.forEach((a) => chat(...a));
          } catch (e) {
            bubble('s', t.failed);
          }
        };
        const s = h('script', { src: new URL('widget-chat.js?v=1', src).href, async: true, onload: () => s.remove(), onerror: () => {
          s.remove();
          pending = null;
          bubble('s', t.failed);
        } });
        (document.head || document.body).append(s);
      }
      pending.push(action);
    };
  }

  const go = () => {
    try {
      init();
    } catch (e) { /* never break the host page */ }
  };
  // Once parsed: the widget goes after the page's own nodes (a hydrating app expects them first).
  if (document.readyState != 'loading') go();
  else addEventListener('DOMContentLoaded', go);
})();
