/* marktchat help-bot widget, part 2: the socket and the chat. widget.js loads it when
 * the visitor starts the chat, sends a message or deletes transcripts, and hands it the
 * panel it drew. One WebSocket to HOST/bot/ws; frames as in shared/src/bot/protocol.rs.
 * Everything from the server or the visitor enters the DOM as text, never as HTML. */
(() => {
  'use strict';
  const hub = window[Symbol.for('marktchat.widget')];
  if (!hub || !hub.chat) return;
  const STORE = 'marktchat.bot.codes';
  const MAX_CODES = 50;
  const T = {
    de: {
      restart: 'Neuen Chat starten',
      codeS: 'Dein Chat-Code:', hintS: '– notiere ihn, um den Verlauf später zu löschen.',
      codeP: 'Chat-Code:', hintP: '– privat: nichts wird gespeichert.',
      forget: 'Beenden, löschen und privat neu starten', forgetHint: 'Löscht diesen Chat und die früheren Verläufe dieses Browsers.',
      end: 'Chat beenden', none: 'Dieser Browser kennt keine früheren Chat-Codes.',
      badCode: 'Ein Chat-Code hat 12 Zeichen, z. B. K7QM-4XPA-92TD.',
      deleted: 'Gelöscht. Falls es Verläufe zu diesen Codes gab, sind sie jetzt gelöscht.',
      forgot: 'Der vorige Chat ist beendet und gelöscht. Dieser Chat ist privat.',
      private: 'Ab jetzt privat: nichts wird gespeichert.', stored: 'Ab jetzt wird der Chat gespeichert.',
      more: 'Mehr Ergebnisse', lost: 'Die Verbindung ist unterbrochen.',
      visitor: 'Der Chat ist beendet.', idle: 'Der Chat wurde nach einer längeren Pause beendet.',
      server_stopping: 'Der Chat wurde beendet, weil der Server neu startet.',
      bad_frame: 'Das konnte ich nicht lesen. Bitte versuch es noch einmal.',
      unsupported_version: 'Dieses Chat-Fenster ist veraltet. Bitte lade die Seite neu.',
      not_started: 'Der Chat läuft nicht. Bitte starte ihn neu.',
      too_long: 'Die Nachricht ist zu lang (höchstens 1000 Zeichen).',
      rate_limited: 'Das ging zu schnell. Bitte warte {} Sekunden.',
      unavailable: 'Der Chat ist gerade nicht erreichbar. Bitte versuch es später noch einmal.',
    },
    en: {
      restart: 'Start a new chat',
      codeS: 'Your chat code:', hintS: '– note it to delete the transcript later.',
      codeP: 'Chat code:', hintP: '– private: nothing is stored.',
      forget: 'End, delete and restart privately', forgetHint: 'Deletes this chat and the earlier transcripts of this browser.',
      end: 'End chat', none: 'This browser knows no earlier chat codes.',
      badCode: 'A chat code has 12 characters, e.g. K7QM-4XPA-92TD.',
      deleted: 'Deleted. If there were transcripts for these codes, they are gone now.',
      forgot: 'The previous chat is ended and deleted. This chat is private.',
      private: 'Private from now on: nothing is stored.', stored: 'From now on the chat is stored.',
      more: 'More results', lost: 'The connection was lost.',
      visitor: 'The chat has ended.', idle: 'The chat ended after a long pause.',
      server_stopping: 'The chat ended because the server is restarting.',
      bad_frame: 'I could not read that. Please try again.',
      unsupported_version: 'This chat window is out of date. Please reload the page.',
      not_started: 'The chat is not running. Please start it again.',
      too_long: 'The message is too long (at most 1000 characters).',
      rate_limited: 'That was too fast. Please wait {} seconds.',
      unavailable: 'The chat cannot be reached right now. Please try again later.',
    },
  };
  /** A code as the server reads it: any case, no spaces or dashes, I and L are 1, O is 0. */
  const norm = (c) => c.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');

  hub.chat(({ h, button, bubble, lang, src, main, log, input, priv, intro, start, status, running, codeInput }) => {
    const t = T[lang];
    const wsUrl = (location.protocol == 'https:' || src.protocol == 'https:' ? 'wss://' : 'ws://') + src.host + '/bot/ws';
    const note = (text) => bubble('s', text);

    // This browser's stored chats' codes, newest last (at most 50); written only from here on.
    const load = () => {
      try {
        const a = JSON.parse(localStorage.getItem(STORE));
        return Array.isArray(a) ? a.filter((c) => typeof c == 'string') : [];
      } catch (e) {
        return [];
      }
    };
    const save = (a) => {
      try {
        if (a.length) localStorage.setItem(STORE, JSON.stringify(a.slice(-MAX_CODES)));
        else localStorage.removeItem(STORE);
      } catch (e) { /* storage blocked: nothing to remember */ }
    };
    const drop = (codes) => {
      const gone = codes.map(norm);
      save(load().filter((c) => !gone.includes(norm(c))));
    };
    const keep = (c) => save(load().filter((x) => norm(x) != norm(c)).concat(c));
    /** The stored codes except the running chat's. */
    const earlier = () => load().filter((c) => !code || norm(c) != norm(code));

    let ws = null; // open or opening
    let opened = false; // the socket is open
    let chat = false; // a chat is started or starting
    let up = false; // `started` came: frames go out at once
    let queue = []; // frames waiting for `started`
    let early = []; // delete_codes frames waiting for the socket to open
    let code = null;
    let mode = null;
    let dialog = null; // the find-a-listing state: sent back unchanged while the dialog runs
    let greeting = false; // the next reply is the chat's greeting (it comes right after `started`)
    let forgetting = null; // the code of the chat the one button is deleting
    const deleting = []; // the code lists of delete_codes frames not yet answered

    const forgetButton = button(t.forget, forget, 'forget');
    forgetButton.setAttribute('aria-describedby', 'mc-forget');
    running.append(forgetButton, h('p', { id: 'mc-forget', className: 'hint', textContent: t.forgetHint }), button(t.end, () => send({ type: 'end' }), 'end'));
    priv.addEventListener('change', () => {
      try {
        if (up) send({ type: 'set_mode', mode: priv.checked ? 'private' : 'stored' });
      } catch (e) { /* never break the host page */ }
    });
    addEventListener('pagehide', () => ws && ws.close());

    const raw = (frame) => ws.send(JSON.stringify(frame));
    const startFrame = () => ({ type: 'start', version: 1, language: lang, mode: priv.checked ? 'private' : 'stored' });
    const clearReplies = () => log.querySelectorAll('.qr').forEach((e) => e.remove());
    /** A link to a path on the marketplace (made absolute with the script's origin); other places stay text. */
    const link = (path, text) => {
      try {
        const u = new URL(path, src.origin);
        if (u.origin == src.origin) return h('a', { href: u.href, target: '_blank', rel: 'noopener', textContent: text });
      } catch (e) { /* not a URL */ }
      return text;
    };
    const showStatus = () => {
      const p = mode == 'private';
      status.hidden = false;
      status.replaceChildren(p ? t.codeP : t.codeS, ' ', h('strong', { className: 'code', textContent: code }), ' ', h('span', { className: 'hint', textContent: p ? t.hintP : t.hintS }));
    };

    /** Opens the one socket (the widget's first connection), unless it is open. */
    function connect() {
      if (ws) return 1;
      try {
        ws = new WebSocket(wsUrl);
      } catch (e) {
        return note(t.unavailable) && 0;
      }
      const sock = ws;
      sock.onopen = () => {
        opened = true;
        if (chat) raw(startFrame());
        early.forEach(raw);
        early = [];
      };
      sock.onmessage = (e) => {
        try {
          receive(JSON.parse(e.data));
        } catch (x) { /* an unreadable frame is dropped */ }
      };
      sock.onclose = () => {
        if (sock != ws) return;
        if (up) note(t.lost);
        else if (!opened) note(t.unavailable);
        stop();
      };
      return 1;
    }

    /** Starts a chat: `start` goes out as soon as the socket is open. */
    function activate() {
      if (chat || !connect()) return;
      chat = true;
      log.replaceChildren();
      dialog = code = null;
      if (opened) raw(startFrame());
      intro.hidden = start.hidden = true;
      running.hidden = false;
    }

    /** Sends a frame: `delete_codes` needs only an open socket, the rest a started chat (so one starts). */
    function send(frame) {
      if (up || (opened && frame.type == 'delete_codes')) raw(frame);
      else if (frame.type == 'delete_codes') connect() && early.push(frame);
      else {
        activate();
        if (chat) queue.push(frame);
      }
    }

    /** Back to the state before activation; the transcript stays readable. */
    function stop() {
      const sock = ws;
      // Focus on a control that is about to hide (say "End chat") moves to the start button.
      const lost = running.contains(running.getRootNode().activeElement);
      if (chat) start.textContent = t.restart;
      ws = dialog = null;
      opened = up = chat = false;
      forgetting = null;
      queue = [];
      early = [];
      deleting.length = 0;
      clearReplies();
      running.hidden = true;
      start.hidden = false;
      if (lost) start.focus();
      if (sock) sock.close();
    }

    function receive(f) {
      switch (f.type) {
        case 'started': {
          code = f.code;
          mode = f.mode;
          up = true;
          if (forgetting) {
            drop([forgetting]); // its transcript is gone
            forgetting = null;
            note(t.forgot);
          } else if ((mode == 'private') != priv.checked) {
            queue.unshift({ type: 'set_mode', mode: priv.checked ? 'private' : 'stored' }); // switched while connecting
          }
          priv.checked = mode == 'private';
          if (mode == 'stored') keep(code);
          showStatus();
          greeting = true;
          const waiting = queue;
          queue = [];
          waiting.forEach(send);
          break;
        }
        case 'reply': {
          clearReplies();
          const m = bubble('b', f.text);
          // A chat started by a question: the greeting goes above it, where it belongs.
          const asked = greeting && log.querySelector('.m.v');
          if (asked) log.insertBefore(m, asked);
          greeting = false;
          if (f.links && f.links.length) m.append(h('ul', {}, ...f.links.map((l) => h('li', {}, link(l.path, l.title + ' – ' + l.price)))));
          if (f.more) m.append(link(f.more, t.more));
          if (f.quick_replies && f.quick_replies.length) {
            log.append(h('div', { className: 'qr' }, ...f.quick_replies.map((r) => button(r.label, () => choose(r)))));
          }
          dialog = f.dialog || null;
          main.scrollTop = main.scrollHeight;
          break;
        }
        case 'mode_set':
          mode = f.mode;
          priv.checked = mode == 'private';
          if (mode == 'stored') keep(code); // from now on there is something to delete
          showStatus();
          note(t[mode]);
          break;
        case 'deleted':
          drop(deleting.shift() || []);
          note(t.deleted);
          if (!chat && !deleting.length) stop(); // the socket was opened only to delete
          break;
        case 'ended':
          note(t[f.reason] || t.visitor);
          stop();
          break;
        case 'error':
          if (f.code == 'rate_limited' || f.code == 'bad_frame') deleting.shift(); // most likely the deletion's answer
          note((t[f.code] || t.bad_frame).replace('{}', f.retry_after_secs || 10));
          if (f.code == 'unsupported_version') stop();
      }
    }

    function say(text) {
      activate(); // before the bubble: a new chat starts with an empty log
      clearReplies();
      bubble('v', text);
      send(dialog ? { type: 'say', text, dialog } : { type: 'say', text });
    }
    function choose(r) {
      clearReplies();
      bubble('v', r.label);
      send(dialog ? { type: 'choose', intent: r.intent, dialog } : { type: 'choose', intent: r.intent });
      input.focus();
    }
    /** The one button: delete this browser's earlier transcripts, end this chat, delete it, start a private one. */
    function forget() {
      if (!up) return;
      const others = earlier();
      log.replaceChildren();
      if (others.length) deleteCodes(others);
      forgetting = code;
      send({ type: 'forget' });
      input.focus();
    }
    function deleteCodes(codes) {
      deleting.push(codes);
      send({ type: 'delete_codes', codes });
    }

    const actions = {
      start: activate,
      say,
      earlier: () => {
        const codes = earlier();
        codes.length ? deleteCodes(codes) : note(t.none);
      },
      code: (c) => {
        if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(norm(c))) return note(t.badCode);
        codeInput.value = '';
        deleteCodes([c]);
      },
    };
    return (what, arg) => {
      try {
        actions[what](arg);
      } catch (e) { /* never break the host page */ }
    };
  });
})();
