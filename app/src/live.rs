//! The browser's live connection: one WebSocket per tab to `/ws`, speaking
//! `shared::chat` frames, with the outbox and reconnects of `shared::outbox`.
//!
//! - Messages written go into the outbox first (kept in local storage, so they survive
//!   a reload and a lost connection), then onto the socket. They leave the outbox only
//!   when the server acknowledges them; every reconnect sends the whole outbox again
//!   (the server stores a resend once). A message without an answer for a while makes
//!   the client reconnect: a connection can die without saying so.
//! - Pages say which conversations they show ([`Live::show`]); on every (re)connect the
//!   server is told how far each one is held and sends the rest.
//! - Reconnects wait with backoff and jitter, and at once when the browser is online
//!   again.
//! - Frames go to whoever listens ([`Live::listen`]): the conversation page, the inbox.
//!   The header badge and the tab title follow [`Live::unread`].
//!
//! On the server (rendering) the same type exists and does nothing.

use leptos::prelude::*;
use marktchat_shared::chat::{ClientMessageId, ConversationId, MessageText, Seq, ServerFrame};
use marktchat_shared::outbox::Pending;
use std::sync::Arc;

/// A listener for frames from the server.
pub type Listener = Arc<dyn Fn(&ServerFrame) + Send + Sync>;

/// The app's live connection (a cheap handle; see the module documentation).
#[derive(Clone, Copy)]
pub struct Live {
    /// The unread total as the server last said (`None`: not yet connected).
    pub unread: RwSignal<Option<u64>>,
    /// Changes whenever the outbox does (pages show pending messages).
    pub outbox_changed: RwSignal<u64>,
    /// Whether the socket is open.
    pub connected: RwSignal<bool>,
    /// Show a browser notification for a message that arrives while the tab is hidden
    /// (the user's setting; the browser's permission is asked in the profile).
    pub notify: RwSignal<bool>,
    #[cfg(feature = "hydrate")]
    inner: StoredValue<client::Inner, LocalStorage>,
}

/// The tab's live connection. In the browser there is one per tab, shared by every
/// island on the page (the header runs it, the conversation and the inbox listen); on
/// the server a new one that does nothing.
pub fn use_live() -> Live {
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            // Owned by a root of its own: islands come and go, the connection stays.
            // (`new_root` makes itself the current owner: the island that got here
            // first gets its own back, with its contexts.)
            static LIVE: Live = {
                let island = Owner::current();
                let owner = Owner::new_root(None);
                let live = owner.with(Live::new);
                std::mem::forget(owner);
                if let Some(island) = island {
                    island.set();
                }
                live
            };
        }
        LIVE.with(|live| *live)
    }
    #[cfg(not(feature = "hydrate"))]
    Live::new()
}

impl Live {
    fn new() -> Live {
        Live {
            unread: RwSignal::new(None),
            outbox_changed: RwSignal::new(0),
            connected: RwSignal::new(false),
            notify: RwSignal::new(false),
            #[cfg(feature = "hydrate")]
            inner: StoredValue::new_local(client::Inner::default()),
        }
    }

    /// Connects for `user` (or disconnects, for `None`). Does nothing on the server.
    ///
    /// The socket client is a chunk of its own ([`start_client`]), fetched only once
    /// someone is logged in: a visitor's pages never load it, and it does not delay
    /// hydration. Who is wanted is noted at once, and the client reads it when it
    /// starts: a logout (or another login) while the chunk loads is not lost, and a
    /// message written meanwhile goes into the outbox of the one who wrote it.
    pub fn run_for(&self, user: Option<String>) {
        #[cfg(feature = "hydrate")]
        {
            self.inner.update_value(|i| i.want(user));
            if !self.inner.with_value(client::Inner::runs_as_wanted) {
                self.start();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = user;
    }

    /// Loads the socket client (if it is not yet) and lets it follow who is wanted. A
    /// chunk that does not load (offline, or a new version deployed meanwhile) is tried
    /// again after a while; the page keeps working without live updates.
    #[cfg(feature = "hydrate")]
    fn start(self) {
        const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(10);
        let live = self;
        leptos::task::spawn_local(async move {
            if let Err(e) = start_client(live).await {
                leptos::logging::warn!("the live connection's code did not load ({e}); retrying");
                set_timeout(
                    move || {
                        let waiting = live.inner.try_with_value(|i| !i.runs_as_wanted());
                        if waiting == Some(true) {
                            live.start();
                        }
                    },
                    RETRY_AFTER,
                );
            }
        });
    }

    /// Calls `f` with every frame until the calling component goes away.
    pub fn listen(&self, f: impl Fn(&ServerFrame) + Send + Sync + 'static) {
        #[cfg(feature = "hydrate")]
        {
            let id = client::add_listener(*self, Arc::new(f));
            let live = *self;
            on_cleanup(move || client::remove_listener(live, id));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = f;
    }

    /// The page shows `conversation` and holds it up to `after`, the message there
    /// being `last` (the client id of the page's newest message).
    pub fn show(&self, conversation: ConversationId, after: Seq, last: Option<ClientMessageId>) {
        #[cfg(feature = "hydrate")]
        client::show(*self, conversation, after, last);
        #[cfg(not(feature = "hydrate"))]
        let _ = (conversation, after, last);
    }

    /// The page no longer shows `conversation`.
    pub fn hide(&self, conversation: ConversationId) {
        #[cfg(feature = "hydrate")]
        client::hide(*self, conversation);
        #[cfg(not(feature = "hydrate"))]
        let _ = conversation;
    }

    /// Writes a message: into the outbox, then to the server when connected.
    /// `false` when the outbox is full (too much written while offline).
    pub fn send(&self, conversation: ConversationId, text: MessageText) -> bool {
        #[cfg(feature = "hydrate")]
        return client::send(*self, conversation, text);
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (conversation, text);
            false
        }
    }

    /// What waits in the outbox for `conversation` (empty on the server).
    pub fn pending(&self, conversation: &ConversationId) -> Vec<Pending> {
        self.outbox_changed.track();
        #[cfg(feature = "hydrate")]
        return client::pending(*self, conversation);
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = conversation;
            Vec::new()
        }
    }

    pub fn typing(&self, conversation: &ConversationId) {
        #[cfg(feature = "hydrate")]
        client::typing(*self, conversation);
        #[cfg(not(feature = "hydrate"))]
        let _ = conversation;
    }

    pub fn read(&self, conversation: &ConversationId, up_to: Seq) {
        #[cfg(feature = "hydrate")]
        client::read(*self, conversation, up_to);
        #[cfg(not(feature = "hydrate"))]
        let _ = (conversation, up_to);
    }

    /// Asks the browser for permission to show notifications (call it from a click).
    pub fn ask_notification_permission(&self) {
        #[cfg(feature = "hydrate")]
        client::ask_permission();
    }
}

/// The cut between the main module and the socket client (see [`Live::run_for`]). Not
/// `#[lazy]`, which aborts the whole front end when a chunk fails to load: `fallible`
/// hands the failure back instead.
#[cfg(feature = "hydrate")]
#[leptos::wasm_split::wasm_split(start_client, wasm_split_path = ::leptos::wasm_split, fallible)]
fn start_client(live: Live) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    client::follow_wanted(live);
    Ok(())
}

#[cfg(feature = "hydrate")]
mod client {
    use super::{Listener, Live};
    use leptos::prelude::*;
    use marktchat_shared::chat::{
        ClientFrame, ClientMessageId, ConversationId, ErrorCode, MessageText, ResumeFrom, Seq,
        ServerFrame, PROTOCOL_VERSION,
    };
    use marktchat_shared::outbox::{Backoff, Outbox, Pending};
    use marktchat_shared::Timestamp;
    use std::collections::HashMap;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    /// How long a sent message may wait for its ack before the connection counts as dead.
    const ACK_PATIENCE_MS: i32 = 8_000;
    /// How long to wait before resending after the server was busy or limited, when it
    /// did not say.
    const RETRY_MS: i32 = 5_000;
    const TYPING_EVERY_MS: f64 = 3_000.0;

    #[derive(Default)]
    pub struct Inner {
        /// Who the client runs for.
        user: Option<String>,
        /// Who it should run for (set at once by `Live::run_for`; the client follows
        /// when it has loaded).
        wanted: Option<String>,
        socket: Option<WebSocket>,
        /// The socket's handlers, kept alive while it is open.
        handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
        outbox: Outbox,
        /// Per conversation on show: how far it is held, and the message held there.
        shown: HashMap<ConversationId, (Seq, Option<ClientMessageId>)>,
        backoff: Backoff,
        listeners: Vec<(u64, Listener)>,
        next_listener: u64,
        reconnect_timer: Option<i32>,
        ack_timer: Option<i32>,
        typing_sent: HashMap<ConversationId, f64>,
        /// Messages the server told to wait (limited, busy), until when: an ack that
        /// does not come for them says nothing about the connection.
        held_back: HashMap<ClientMessageId, f64>,
        online_handler: Option<Closure<dyn FnMut(web_sys::Event)>>,
    }

    impl Inner {
        pub fn want(&mut self, user: Option<String>) {
            self.wanted = user;
        }

        /// Whether the client runs for the user it should (`None`: for nobody).
        pub fn runs_as_wanted(&self) -> bool {
            self.user == self.wanted
        }

        /// Whose outbox a message goes to: the user the client runs for, or, before it
        /// has started, the one it is about to run for.
        fn outbox_owner(&self) -> Option<&str> {
            self.user.as_deref().or(self.wanted.as_deref())
        }
    }

    fn window() -> web_sys::Window {
        web_sys::window().expect("a window")
    }

    fn storage_key(user: &str) -> String {
        format!("marktchat.outbox.{user}")
    }

    fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    fn save_outbox(inner: &Inner) {
        let (Some(user), Ok(Some(storage))) = (inner.outbox_owner(), window().local_storage())
        else {
            return;
        };
        let key = storage_key(user);
        if inner.outbox.is_empty() {
            let _ = storage.remove_item(&key);
        } else {
            let _ = storage.set_item(&key, &inner.outbox.to_json());
        }
    }

    /// The stored outbox is the truth, shared by all of the user's tabs: before each
    /// change this tab takes it up again (another tab may have added or sent something
    /// meanwhile), so two tabs writing offline lose nothing. Without a readable storage
    /// the tab keeps its own.
    fn refresh_outbox(inner: &mut Inner) {
        let Some(user) = inner.outbox_owner() else { return };
        if let Ok(Some(storage)) = window().local_storage() {
            if let Ok(stored) = storage.get_item(&storage_key(user)) {
                inner.outbox = stored.map(|t| Outbox::from_json(&t)).unwrap_or_default();
            }
        }
    }

    fn load_outbox(user: &str) -> Outbox {
        window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(&storage_key(user)).ok().flatten())
            .map(|t| Outbox::from_json(&t))
            .unwrap_or_default()
    }

    /// Connects for the wanted user, or disconnects when nobody is wanted.
    pub fn follow_wanted(live: Live) {
        let Some(false) = live.inner.try_with_value(Inner::runs_as_wanted) else { return };
        let user = live.inner.with_value(|i| i.wanted.clone());
        disconnect(live);
        live.inner.update_value(|i| {
            // What was written before the client started is in the storage already.
            i.outbox = user.as_deref().map(load_outbox).unwrap_or_default();
            i.user = user.clone();
            i.backoff.reset();
        });
        live.outbox_changed.update(|n| *n += 1);
        if user.is_some() {
            install_online_handler(live);
            connect(live);
        } else {
            live.unread.set(None);
        }
    }

    fn install_online_handler(live: Live) {
        if live.inner.with_value(|i| i.online_handler.is_some()) {
            return;
        }
        let handler = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            // Back online: try now rather than after the backoff.
            let waiting = live.inner.with_value(|i| i.socket.is_none() && i.user.is_some());
            if waiting {
                connect(live);
            }
        });
        let _ =
            window().add_event_listener_with_callback("online", handler.as_ref().unchecked_ref());
        live.inner.update_value(|i| i.online_handler = Some(handler));
    }

    fn disconnect(live: Live) {
        live.inner.update_value(|i| {
            if let Some(t) = i.reconnect_timer.take() {
                window().clear_timeout_with_handle(t);
            }
            if let Some(socket) = i.socket.take() {
                socket.set_onopen(None);
                socket.set_onmessage(None);
                socket.set_onclose(None);
                let _ = socket.close();
            }
            i.handlers.clear();
        });
        live.connected.set(false);
    }

    fn socket_url() -> Option<String> {
        let location = window().location();
        let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
        Some(format!("{scheme}://{}/ws", location.host().ok()?))
    }

    fn connect(live: Live) {
        live.inner.update_value(|i| {
            if let Some(t) = i.reconnect_timer.take() {
                window().clear_timeout_with_handle(t);
            }
        });
        if live.inner.with_value(|i| i.socket.is_some() || i.user.is_none()) {
            return;
        }
        let Some(url) = socket_url() else { return };
        let Ok(socket) = WebSocket::new(&url) else {
            schedule_reconnect(live);
            return;
        };
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            opened(live);
        });
        let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let Some(text) = e.dyn_ref::<MessageEvent>().and_then(|m| m.data().as_string()) else {
                return;
            };
            if let Ok(frame) = ServerFrame::decode(&text) {
                received(live, frame);
            }
        });
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let code = e.dyn_ref::<CloseEvent>().map(|c| c.code()).unwrap_or(0);
            closed(live, code);
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        live.inner.update_value(|i| {
            i.socket = Some(socket);
            i.handlers = vec![on_open, on_message, on_close];
        });
    }

    fn send_frame(live: Live, frame: &ClientFrame) -> bool {
        live.inner.with_value(|i| match &i.socket {
            Some(s) if s.ready_state() == WebSocket::OPEN => {
                s.send_with_str(&frame.encode()).is_ok()
            }
            _ => false,
        })
    }

    fn opened(live: Live) {
        // What every tab of the user wrote meanwhile goes out (resends are harmless:
        // the server stores each client id once).
        live.inner.update_value(refresh_outbox);
        live.outbox_changed.update(|n| *n += 1);
        let (resume, pending) = live.inner.with_value(|i| {
            let resume: Vec<ResumeFrom> = i
                .shown
                .iter()
                .map(|(c, (after, last))| ResumeFrom {
                    conversation: c.clone(),
                    after: *after,
                    last: last.clone(),
                })
                .collect();
            (resume, i.outbox.all().to_vec())
        });
        send_frame(live, &ClientFrame::Hello { version: PROTOCOL_VERSION, resume });
        live.inner.update_value(|i| i.backoff.reset());
        live.connected.set(true);
        for p in &pending {
            send_frame(live, &p.frame());
        }
        if !pending.is_empty() {
            watch_acks(live);
        }
    }

    /// The socket closed. After a close that reconnecting cannot mend (the session
    /// ended, the protocol was not followed) the client stops: no reconnect loop. The
    /// page then acts as when offline; the next page load shows the person logged out.
    fn closed(live: Live, code: u16) {
        live.inner.update_value(|i| {
            i.socket = None;
            i.handlers.clear();
        });
        live.connected.set(false);
        if marktchat_shared::chat::close::reconnect_after(code) {
            schedule_reconnect(live);
        }
    }

    fn schedule_reconnect(live: Live) {
        if live.inner.with_value(|i| i.user.is_none() || i.reconnect_timer.is_some()) {
            return;
        }
        let mut delay = 0;
        live.inner.update_value(|i| delay = i.backoff.next_delay_ms(js_sys::Math::random()));
        let timer = set_timeout_ms(
            move || {
                live.inner.update_value(|i| i.reconnect_timer = None);
                connect(live);
            },
            delay as i32,
        );
        live.inner.update_value(|i| i.reconnect_timer = timer);
    }

    fn set_timeout_ms(f: impl FnOnce() + 'static, ms: i32) -> Option<i32> {
        let callback = Closure::once_into_js(f);
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms)
            .ok()
    }

    /// If sent messages stay unacknowledged, the connection is dead: reconnect (which
    /// sends the outbox again).
    fn watch_acks(live: Live) {
        if live.inner.with_value(|i| i.ack_timer.is_some()) {
            return;
        }
        let waiting: Vec<ClientMessageId> =
            live.inner.with_value(|i| i.outbox.all().iter().map(|p| p.client_id.clone()).collect());
        let timer = set_timeout_ms(
            move || {
                live.inner.update_value(|i| i.ack_timer = None);
                let now = now_ms();
                let stuck = live.inner.with_value(|i| {
                    i.outbox.all().iter().any(|p| {
                        waiting.contains(&p.client_id)
                            && i.held_back.get(&p.client_id).is_none_or(|until| *until < now)
                    })
                });
                if stuck {
                    disconnect(live);
                    connect(live);
                    watch_acks(live);
                }
            },
            ACK_PATIENCE_MS,
        );
        live.inner.update_value(|i| i.ack_timer = timer);
    }

    fn received(live: Live, frame: ServerFrame) {
        match &frame {
            ServerFrame::Ack { client_id, .. } => acknowledged(live, client_id),
            ServerFrame::Message { message } => {
                // Only conversations on show are followed (and resumed after a
                // reconnect): a busy user's other conversations never grow the set past
                // what `Hello` may name.
                live.inner.update_value(|i| {
                    if let Some(held) = i.shown.get_mut(&message.conversation) {
                        if message.seq > held.0 {
                            *held = (message.seq, Some(message.client_id.clone()));
                        }
                    }
                });
                // Our own message, stored (its ack may have been lost with a connection).
                let own = live.inner.with_value(|i| {
                    i.outbox.all().iter().any(|p| p.client_id == message.client_id)
                        && message.sender.as_ref().map(|s| &s.0) == i.user.as_ref()
                });
                if own {
                    acknowledged(live, &message.client_id);
                }
                let from_me = live
                    .inner
                    .with_value(|i| message.sender.as_ref().map(|s| &s.0) == i.user.as_ref());
                if !from_me && live.notify.get_untracked() {
                    notify(message);
                }
            }
            ServerFrame::Unread { total } => live.unread.set(Some(*total)),
            // The copy held is not the server's history: it is no longer followed; the
            // page showing it loads it afresh (and shows it again).
            ServerFrame::Reset { conversation } => {
                live.inner.update_value(|i| {
                    i.shown.remove(conversation);
                });
            }
            ServerFrame::Error { code, client_id: Some(client_id), retry_after_secs } => match code
            {
                ErrorCode::RateLimited | ErrorCode::Unavailable => {
                    // Kept; sent again when the server said it may be (or in a moment).
                    let wait = retry_after_secs
                        .map_or(RETRY_MS, |s| {
                            i32::try_from(s.saturating_mul(1000)).unwrap_or(RETRY_MS)
                        })
                        .clamp(500, 5 * 60_000);
                    let id = client_id.clone();
                    live.inner.update_value(|i| {
                        if i.held_back.len() >= marktchat_shared::outbox::OUTBOX_LIMIT {
                            i.held_back.clear();
                        }
                        i.held_back.insert(id.clone(), now_ms() + f64::from(wait));
                    });
                    set_timeout_ms(
                        move || {
                            live.inner.update_value(|i| {
                                i.held_back.remove(&id);
                            });
                            let again = live.inner.with_value(|i| {
                                i.outbox
                                    .all()
                                    .iter()
                                    .find(|p| p.client_id == id)
                                    .map(Pending::frame)
                            });
                            if let Some(frame) = again {
                                send_frame(live, &frame);
                                watch_acks(live);
                            }
                        },
                        wait,
                    );
                }
                // Refused for good: it leaves the outbox; the page says why.
                _ => acknowledged(live, client_id),
            },
            _ => {}
        }
        let listeners: Vec<Listener> =
            live.inner.with_value(|i| i.listeners.iter().map(|(_, l)| l.clone()).collect());
        for l in listeners {
            l(&frame);
        }
    }

    fn acknowledged(live: Live, client_id: &ClientMessageId) {
        let mut changed = false;
        live.inner.update_value(|i| {
            refresh_outbox(i);
            changed = i.outbox.acknowledge(client_id).is_some();
            if changed {
                save_outbox(i);
            }
        });
        if changed {
            live.outbox_changed.update(|n| *n += 1);
        }
    }

    pub fn add_listener(live: Live, listener: Listener) -> u64 {
        let mut id = 0;
        live.inner.update_value(|i| {
            i.next_listener += 1;
            id = i.next_listener;
            i.listeners.push((id, listener));
        });
        id
    }

    pub fn remove_listener(live: Live, id: u64) {
        let _ = live.inner.try_update_value(|i| i.listeners.retain(|(l, _)| *l != id));
    }

    pub fn show(
        live: Live,
        conversation: ConversationId,
        after: Seq,
        last: Option<ClientMessageId>,
    ) {
        live.inner.update_value(|i| {
            let held = i.shown.entry(conversation.clone()).or_default();
            if after > held.0 || held.0 == Seq(0) {
                *held = (after, last);
            }
        });
        let (after, last) = live.inner.with_value(|i| i.shown[&conversation].clone());
        send_frame(live, &ClientFrame::Resume { conversation, after, last });
    }

    pub fn hide(live: Live, conversation: ConversationId) {
        let _ = live.inner.try_update_value(|i| i.shown.remove(&conversation));
    }

    pub fn send(live: Live, conversation: ConversationId, text: MessageText) -> bool {
        let client_id = ClientMessageId::parse(&new_id()).expect("a UUID is a valid id");
        let pending =
            Pending { conversation, client_id, text, written_at: Timestamp(now_ms() as i64) };
        let mut taken = false;
        live.inner.update_value(|i| {
            // Written before the client has started: add to what the storage holds for
            // the user it is about to run for (saved below, and loaded when it starts).
            if let (None, Some(wanted)) = (&i.user, &i.wanted) {
                i.outbox = load_outbox(wanted);
            } else {
                refresh_outbox(i);
            }
            taken = i.outbox.add(pending.clone()).is_ok();
            if taken {
                save_outbox(i);
            }
        });
        if !taken {
            return false;
        }
        live.outbox_changed.update(|n| *n += 1);
        send_frame(live, &pending.frame());
        watch_acks(live);
        true
    }

    fn new_id() -> String {
        match window().crypto() {
            Ok(c) => c.random_uuid(),
            Err(_) => format!("{:x}{:x}", now_ms() as u64, (js_sys::Math::random() * 1e15) as u64),
        }
    }

    pub fn pending(live: Live, conversation: &ConversationId) -> Vec<Pending> {
        live.inner
            .try_with_value(|i| i.outbox.for_conversation(conversation).cloned().collect())
            .unwrap_or_default()
    }

    pub fn typing(live: Live, conversation: &ConversationId) {
        let now = now_ms();
        let due = live.inner.with_value(|i| {
            i.typing_sent.get(conversation).is_none_or(|t| now - t > TYPING_EVERY_MS)
        });
        if due && send_frame(live, &ClientFrame::Typing { conversation: conversation.clone() }) {
            live.inner.update_value(|i| {
                i.typing_sent.insert(conversation.clone(), now);
            });
        }
    }

    /// A browser notification for `message`, when the tab is hidden and the browser
    /// allows it. Clicking it brings the conversation up.
    fn notify(message: &marktchat_shared::chat::ChatMessage) {
        use web_sys::{Notification, NotificationOptions, NotificationPermission};
        let hidden = window().document().is_some_and(|d| d.hidden());
        // Only what a person wrote; a notice of who joined or left is no reason to call.
        if !message.kind.is_text()
            || !hidden
            || Notification::permission() != NotificationPermission::Granted
        {
            return;
        }
        let body: String = message.text.as_str().chars().take(140).collect();
        let options = NotificationOptions::new();
        options.set_body(&body);
        options.set_tag(&message.conversation.0);
        if let Ok(n) = Notification::new_with_options("marktchat", &options) {
            let conversation = message.conversation.0.clone();
            let on_click = Closure::once_into_js(move || {
                let _ = window().focus();
                let _ = window().location().set_href(&format!("/messages/{conversation}"));
            });
            n.set_onclick(Some(on_click.unchecked_ref()));
        }
    }

    /// Asks the browser for permission to show notifications (from a click).
    pub fn ask_permission() {
        let _ = web_sys::Notification::request_permission();
    }

    pub fn read(live: Live, conversation: &ConversationId, up_to: Seq) {
        send_frame(live, &ClientFrame::Read { conversation: conversation.clone(), up_to });
    }
}
