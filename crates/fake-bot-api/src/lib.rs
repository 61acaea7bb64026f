//! A fake Telegram Bot API server on `127.0.0.1`, for tests and benchmarks.
//!
//! The bot under test reaches it through `TELOXIDE_API_URL` (or
//! `Bot::set_api_url`). It serves `getUpdates` long polling and the methods the
//! bot calls, keeps each chat's messages so a scripted [`FakeUser`] can press
//! buttons by their label, logs every call, and can inject faults: 429 with
//! `retry_after`, 5xx, 403 "blocked by the user" and dropped connections.
//!
//! It also plays Telegram's webhook side: after `setWebhook`, queued updates are
//! POSTed, with the secret header, to the address given by
//! [`FakeBotApi::push_to`] (the reverse proxy in front of the bot), one at a
//! time, and an update is forgotten only when the bot answers 200; `getUpdates`
//! is refused with 409 while a webhook is set, as Telegram does.
//!
//! In **bench mode** ([`FakeBotApi::start_bench`]) it keeps counts of calls per
//! method instead of a call log and remembers no update for replay, and a
//! [`FakeUser::answered`] step is told — without polling — when the bot's answer
//! (a message or an edit in her chat) arrives, with the time since her update
//! became available to the bot.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::{oneshot, Notify};

/// The bot's own user id in the fake.
pub const BOT_ID: u64 = 4_000_000_001;
/// How long a helper waits for the bot before giving up (a liveness bound only).
const PATIENCE: Duration = Duration::from_secs(15);

/// One call the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub body: Value,
    /// The fault answered instead of the method, if one was injected.
    pub fault: Option<Fault>,
    /// Telegram refused it (an edit of a message that is not there, …).
    pub refused: bool,
}

/// An injected failure for the next call of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    TooManyRequests {
        retry_after: u32,
    },
    ServerError,
    Blocked,
    DropConnection,
    /// 409: another client takes this token's updates.
    Conflict,
    /// 401: Telegram does not know the token.
    Unauthorized,
}

/// A message in a chat, as the fake remembers it.
#[derive(Debug, Clone)]
pub struct ChatMessage {
    pub id: i64,
    pub from_bot: bool,
    pub text: Option<String>,
    pub reply_markup: Option<Value>,
    pub deleted: bool,
}

impl ChatMessage {
    /// Button rows as (label, callback data).
    pub fn buttons(&self) -> Vec<Vec<(String, String)>> {
        buttons_of(self.reply_markup.as_ref())
    }
}

fn buttons_of(markup: Option<&Value>) -> Vec<Vec<(String, String)>> {
    let Some(rows) = markup
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    rows.iter()
        .map(|row| {
            row.as_array()
                .into_iter()
                .flatten()
                .map(|b| {
                    (
                        b["text"].as_str().unwrap_or_default().to_string(),
                        b["callback_data"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

#[derive(Default)]
struct Inner {
    next_update_id: i64,
    updates: VecDeque<Value>,
    /// Every update ever queued, by id, so one can be served again.
    history: HashMap<i64, Value>,
    /// Updates to serve again whatever the bot's offset: redeliveries.
    replays: VecDeque<Value>,
    calls: Vec<Call>,
    faults: HashMap<String, VecDeque<Fault>>,
    chats: HashMap<i64, Vec<ChatMessage>>,
    next_message_id: i64,
    next_callback_id: u64,
    /// Users who never wrote to the bot: Telegram lets it neither write to them
    /// nor see their chat, until they do.
    never_started: std::collections::HashSet<i64>,
    /// Groups the bot is a member of (others: "chat not found").
    groups: std::collections::HashSet<i64>,
    /// How long a send to a chat takes (a slow network, a slow phone).
    delays: HashMap<i64, Duration>,
    /// What the last `setWebhook` set, until `deleteWebhook`.
    webhook: Option<Webhook>,
    /// Where webhook updates are POSTed (the proxy's upstream: the bot).
    push_to: Option<SocketAddr>,
    /// Webhook answers that were not 200, newest last (status, or 0 when the
    /// bot could not be reached).
    push_failures: Vec<u16>,
    /// Bench mode: counts and answer timing instead of the call log.
    bench: Option<Bench>,
}

/// What bench mode keeps.
#[derive(Default)]
struct Bench {
    /// Calls per method (faults and refusals included).
    counts: BTreeMap<String, u64>,
    /// Per chat, the step waiting for the bot's answer.
    waiting: HashMap<i64, Waiter>,
}

/// A step waiting for its answer: when its update became available to the bot
/// (once it is queued), and whom to tell.
struct Waiter {
    available: Option<Instant>,
    tell: oneshot::Sender<Duration>,
}

/// A webhook as the bot set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
    pub allowed_updates: Vec<String>,
    pub drop_pending_updates: bool,
}

#[derive(Clone)]
struct Shared {
    inner: Arc<Mutex<Inner>>,
    new_update: Arc<Notify>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The server. Dropping it stops it.
pub struct FakeBotApi {
    shared: Shared,
    addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeBotApi {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start() -> FakeBotApi {
        FakeBotApi::start_in(None).await
    }

    /// Starts in bench mode: [`FakeBotApi::counts`] instead of [`FakeBotApi::calls`],
    /// and [`FakeUser::answered`] to time the bot's answers.
    pub async fn start_bench() -> FakeBotApi {
        FakeBotApi::start_in(Some(Bench::default())).await
    }

    async fn start_in(bench: Option<Bench>) -> FakeBotApi {
        let shared = Shared {
            inner: Arc::new(Mutex::new(Inner {
                next_update_id: 1,
                next_message_id: 1,
                bench,
                ..Inner::default()
            })),
            new_update: Arc::new(Notify::new()),
        };
        let app = Router::new()
            .route("/{token}/{method}", post(serve).get(serve))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let pusher = tokio::spawn(push_webhooks(shared.clone()));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
            pusher.abort();
        });
        FakeBotApi {
            shared,
            addr,
            server,
        }
    }

    /// The base URL for `TELOXIDE_API_URL`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Webhook updates go to `addr` (plain http on loopback: the reverse proxy's
    /// upstream), whatever public URL the bot set.
    pub fn push_to(&self, addr: SocketAddr) {
        self.shared.lock().push_to = Some(addr);
        self.shared.new_update.notify_waiters();
    }

    /// The webhook the bot set, if one is set.
    pub fn webhook(&self) -> Option<Webhook> {
        self.shared.lock().webhook.clone()
    }

    /// Statuses of webhook deliveries the bot did not accept (0: unreachable).
    pub fn push_failures(&self) -> Vec<u16> {
        self.shared.lock().push_failures.clone()
    }

    /// POSTs `body` to the bot's webhook address as a stranger might, with the
    /// given secret header (or none); the HTTP status, 0 when unreachable.
    pub async fn post_to_bot(&self, path: &str, secret: Option<&str>, body: &Value) -> u16 {
        let Some(addr) = self.shared.lock().push_to else {
            return 0;
        };
        http_post(addr, path, secret, &body.to_string()).await
    }

    /// A scripted user talking to the bot in a private chat.
    pub fn user(&self, id: u64) -> FakeUser {
        FakeUser {
            shared: self.shared.clone(),
            id,
            first_name: format!("User{id}"),
            username: None,
            language_code: None,
            cursor: Arc::new(Mutex::new(self.shared.lock().calls.len())),
        }
    }

    /// Bench mode: calls so far, per method (empty outside bench mode).
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.shared
            .lock()
            .bench
            .as_ref()
            .map(|b| b.counts.clone())
            .unwrap_or_default()
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// Calls of one method so far.
    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        self.shared
            .lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// The files the bot sent to `chat` (photos and documents): name and bytes.
    pub fn files(&self, chat: i64) -> Vec<(String, Vec<u8>)> {
        let inner = self.shared.lock();
        inner
            .calls
            .iter()
            .filter(|c| matches!(c.method.as_str(), "sendPhoto" | "sendDocument"))
            .filter(|c| chat_id_of(&c.body) == Some(chat) && !c.refused && c.fault.is_none())
            .filter_map(|c| {
                let file = c.body.get("photo").or_else(|| c.body.get("document"))?;
                let hex = file["hex"].as_str()?;
                let bytes = (0..hex.len())
                    .step_by(2)
                    .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                    .collect();
                Some((file["file_name"].as_str()?.to_string(), bytes))
            })
            .collect()
    }

    /// Every send to `chat` takes `delay` before it is answered.
    pub fn delay_chat(&self, chat: i64, delay: Duration) {
        self.shared.lock().delays.insert(chat, delay);
    }

    /// User `id` has never written to the bot: sending to them is refused with
    /// Telegram's 403 "bot can't initiate conversation with a user", and
    /// `getChat` and chat-scoped `setMyCommands` with 400 "chat not found" —
    /// until they send something.
    pub fn never_started(&self, id: u64) {
        self.shared.lock().never_started.insert(id as i64);
    }

    /// The bot is a member of group `id` (a supergroup): `getChat` finds it.
    pub fn group(&self, id: i64) {
        self.shared.lock().groups.insert(id);
    }

    /// The next `count` calls of `method` answer `fault` instead.
    pub fn inject(&self, method: &str, fault: Fault, count: usize) {
        let mut inner = self.shared.lock();
        let queue = inner.faults.entry(method.to_string()).or_default();
        queue.extend(std::iter::repeat_n(fault, count));
    }

    /// Queues an update as given (with an `update_id` added): for updates the bot
    /// may not be able to parse.
    pub fn push_raw_update(&self, mut update: Value) -> i64 {
        push(&self.shared, |id| {
            update["update_id"] = json!(id);
            update
        })
    }

    /// Serves an update again, even one the bot already confirmed, as Telegram
    /// does when a confirmation was lost. False if no such update was queued.
    pub fn replay(&self, update_id: i64) -> bool {
        let found = {
            let mut inner = self.shared.lock();
            let update = inner.history.get(&update_id).cloned();
            update.map(|u| inner.replays.push_back(u)).is_some()
        };
        self.shared.new_update.notify_waiters();
        found
    }

    /// Sends a message in a group chat, from `user`.
    pub fn group_message(&self, chat_id: i64, user: u64, text: &str) {
        let message_id = self.shared.lock().take_message_id();
        push(&self.shared, |id| {
            json!({"update_id": id, "message": {
                "message_id": message_id, "date": now(),
                "chat": {"id": chat_id, "type": "supergroup", "title": "Group"},
                "from": {"id": user, "is_bot": false, "first_name": "Member"},
                "text": text,
            }})
        });
    }

    /// Waits until `check` holds for the call log; false if it never does.
    /// `check` runs under the fake's lock: it must not call the fake itself.
    pub async fn wait_for(&self, check: impl Fn(&[Call]) -> bool) -> bool {
        wait(&self.shared, check).await
    }

    /// The messages of a chat as they stand now.
    pub fn chat(&self, chat_id: i64) -> Vec<ChatMessage> {
        self.shared
            .lock()
            .chats
            .get(&chat_id)
            .cloned()
            .unwrap_or_default()
    }
}

async fn wait(shared: &Shared, check: impl Fn(&[Call]) -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if check(&shared.lock().calls) {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

impl Inner {
    fn take_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }
}

fn push(shared: &Shared, build: impl FnOnce(i64) -> Value) -> i64 {
    let id = {
        let mut inner = shared.lock();
        let id = inner.next_update_id;
        inner.next_update_id += 1;
        let update = build(id);
        match &mut inner.bench {
            Some(bench) => {
                let waiter = chat_of_update(&update).and_then(|c| bench.waiting.get_mut(&c));
                if let Some(waiter) = waiter.filter(|w| w.available.is_none()) {
                    waiter.available = Some(Instant::now());
                }
            }
            None => {
                inner.history.insert(id, update.clone());
            }
        }
        inner.updates.push_back(update);
        id
    };
    shared.new_update.notify_waiters();
    id
}

/// The chat an update belongs to.
fn chat_of_update(update: &Value) -> Option<i64> {
    update["message"]["chat"]["id"]
        .as_i64()
        .or_else(|| update["callback_query"]["message"]["chat"]["id"].as_i64())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// What the bot sent (or edited) to a chat.
#[derive(Debug, Clone)]
pub struct BotMessage {
    pub method: String,
    pub message_id: i64,
    pub text: String,
    pub buttons: Vec<Vec<(String, String)>>,
}

impl BotMessage {
    pub fn labels(&self) -> Vec<String> {
        self.buttons
            .iter()
            .flatten()
            .map(|(l, _)| l.clone())
            .collect()
    }
}

/// A person writing to the bot in a private chat (chat id = user id).
#[derive(Clone)]
pub struct FakeUser {
    shared: Shared,
    pub id: u64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
    cursor: Arc<Mutex<usize>>,
}

impl FakeUser {
    pub fn named(mut self, first_name: &str, username: &str) -> FakeUser {
        self.first_name = first_name.to_string();
        self.username = Some(username.to_string());
        self
    }

    pub fn language(mut self, code: &str) -> FakeUser {
        self.language_code = Some(code.to_string());
        self
    }

    fn user_json(&self) -> Value {
        let mut user = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        if let Some(u) = &self.username {
            user["username"] = json!(u);
        }
        if let Some(l) = &self.language_code {
            user["language_code"] = json!(l);
        }
        user
    }

    fn chat_json(&self) -> Value {
        let mut chat = json!({"id": self.id, "type": "private", "first_name": self.first_name});
        if let Some(u) = &self.username {
            chat["username"] = json!(u);
        }
        chat
    }

    /// Sends a message with the given content fields (`text`, `sticker`, …).
    pub fn send(&self, content: Value) -> i64 {
        let message_id = {
            let mut inner = self.shared.lock();
            inner.never_started.remove(&(self.id as i64));
            let id = inner.take_message_id();
            inner
                .chats
                .entry(self.id as i64)
                .or_default()
                .push(ChatMessage {
                    id,
                    from_bot: false,
                    text: content["text"].as_str().map(str::to_string),
                    reply_markup: None,
                    deleted: false,
                });
            id
        };
        let mut message = json!({
            "message_id": message_id, "date": now(),
            "chat": self.chat_json(), "from": self.user_json(),
        });
        if let (Some(m), Some(c)) = (message.as_object_mut(), content.as_object()) {
            m.extend(c.clone());
        }
        push(
            &self.shared,
            |id| json!({"update_id": id, "message": message}),
        );
        message_id
    }

    pub fn send_text(&self, text: &str) -> i64 {
        self.send(json!({ "text": text }))
    }

    pub fn send_sticker(&self) -> i64 {
        self.send(json!({"sticker": {
            "file_id": "CAAC-sticker", "file_unique_id": "st1", "type": "regular",
            "width": 512, "height": 512, "is_animated": false, "is_video": false
        }}))
    }

    pub fn send_photo(&self) -> i64 {
        self.send(json!({"photo": [{
            "file_id": "AgAC-photo", "file_unique_id": "ph1", "width": 90, "height": 90
        }]}))
    }

    pub fn send_voice(&self) -> i64 {
        self.send(
            json!({"voice": {"file_id": "AwAC-voice", "file_unique_id": "vo1", "duration": 3}}),
        )
    }

    pub fn send_document(&self) -> i64 {
        self.send(json!({"document": {"file_id": "BQAC-doc", "file_unique_id": "do1", "file_name": "scan.pdf"}}))
    }

    /// Shares a contact card; `user_id` is the contact's account, if any.
    pub fn send_contact(&self, phone: &str, user_id: Option<u64>) -> i64 {
        let mut contact = json!({"phone_number": phone, "first_name": "Contact"});
        if let Some(id) = user_id {
            contact["user_id"] = json!(id);
        }
        self.send(json!({ "contact": contact }))
    }

    pub fn send_location(&self) -> i64 {
        self.send(json!({"location": {"latitude": 40.53, "longitude": 72.8}}))
    }

    /// Presses the button labelled `label` on the newest bot message showing it.
    /// Panics if no message shows such a button.
    pub fn press(&self, label: &str) {
        let (message, data) = {
            let inner = self.shared.lock();
            let found = inner.chats.get(&(self.id as i64)).and_then(|messages| {
                messages.iter().rev().filter(|m| !m.deleted).find_map(|m| {
                    m.buttons()
                        .into_iter()
                        .flatten()
                        .find(|(l, _)| l == label)
                        .map(|(_, d)| (m.clone(), d))
                })
            });
            match found {
                Some(found) => found,
                None => panic!("no button labelled {label:?} in chat {}", self.id),
            }
        };
        self.press_data(message.id, &data);
    }

    /// Presses a button with arbitrary data on a message (old or forged buttons).
    /// Presses a button with this data on message `message_id`; returns the
    /// update's id (for [`FakeBotApi::replay`]).
    pub fn press_data(&self, message_id: i64, data: &str) -> i64 {
        let (message, callback_id) = {
            let mut inner = self.shared.lock();
            inner.next_callback_id += 1;
            let text = inner
                .chats
                .get(&(self.id as i64))
                .and_then(|ms| ms.iter().find(|m| m.id == message_id))
                .and_then(|m| m.text.clone())
                .unwrap_or_default();
            (
                json!({
                    "message_id": message_id, "date": now(), "chat": self.chat_json(),
                    "from": {"id": BOT_ID, "is_bot": true, "first_name": "Bot"},
                    "text": text,
                }),
                inner.next_callback_id.to_string(),
            )
        };
        let from = self.user_json();
        push(&self.shared, |id| {
            json!({"update_id": id, "callback_query": {
                "id": callback_id, "from": from, "message": message,
                "chat_instance": "ci", "data": data,
            }})
        })
    }

    /// The next message the bot sent or edited in this chat since the last one
    /// returned; panics if none comes.
    pub async fn next_reply(&self) -> BotMessage {
        match self.try_next_reply().await {
            Some(reply) => reply,
            None => panic!("the bot did not answer user {}", self.id),
        }
    }

    pub async fn try_next_reply(&self) -> Option<BotMessage> {
        let chat = self.id as i64;
        let start = *self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        let is_reply = |c: &Call| {
            c.fault.is_none()
                && !c.refused
                && matches!(c.method.as_str(), "sendMessage" | "editMessageText")
                && c.body["chat_id"].as_i64() == Some(chat)
        };
        let found = wait(&self.shared, |calls| calls[start..].iter().any(is_reply)).await;
        if !found {
            return None;
        }
        let inner = self.shared.lock();
        let (offset, call) = inner.calls[start..]
            .iter()
            .enumerate()
            .find(|(_, c)| is_reply(c))?;
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = start + offset + 1;
        Some(BotMessage {
            method: call.method.clone(),
            message_id: call.body["message_id"]
                .as_i64()
                .or_else(|| call.body["__sent_id"].as_i64())
                .unwrap_or_default(),
            text: call.body["text"].as_str().unwrap_or_default().to_string(),
            buttons: buttons_of(call.body.get("reply_markup")),
        })
    }

    /// The next file (photo or document) the bot sent to this chat since the
    /// last reply or file returned: its name and bytes; panics if none comes.
    pub async fn next_file(&self) -> (String, Vec<u8>) {
        let chat = self.id as i64;
        let start = *self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        let is_file = |c: &Call| {
            c.fault.is_none()
                && !c.refused
                && matches!(c.method.as_str(), "sendPhoto" | "sendDocument")
                && chat_id_of(&c.body) == Some(chat)
        };
        if !wait(&self.shared, |calls| calls[start..].iter().any(is_file)).await {
            panic!("the bot sent no file to user {}", self.id);
        }
        let inner = self.shared.lock();
        let (offset, call) = inner.calls[start..]
            .iter()
            .enumerate()
            .find(|(_, c)| is_file(c))
            .expect("found above");
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = start + offset + 1;
        let file = call
            .body
            .get("photo")
            .or_else(|| call.body.get("document"))
            .cloned()
            .unwrap_or_default();
        let hex = file["hex"].as_str().unwrap_or_default();
        let bytes = (0..hex.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect();
        (
            file["file_name"].as_str().unwrap_or_default().to_string(),
            bytes,
        )
    }

    /// Bench mode: does `act` (which sends one update from her) and waits,
    /// without polling, for the bot's answer in her chat — a message or an edit;
    /// the time from her update becoming available to the bot until then. None
    /// when no answer came within the fake's patience, or outside bench mode.
    pub async fn answered<T>(&self, act: impl FnOnce(&FakeUser) -> T) -> Option<Duration> {
        let (tell, told) = oneshot::channel();
        {
            let mut inner = self.shared.lock();
            let bench = inner.bench.as_mut()?;
            let waiter = Waiter {
                available: None,
                tell,
            };
            bench.waiting.insert(self.id as i64, waiter);
        }
        act(self);
        let answer = tokio::time::timeout(PATIENCE, told).await;
        if let Some(bench) = self.shared.lock().bench.as_mut() {
            bench.waiting.remove(&(self.id as i64));
        }
        answer.ok()?.ok()
    }

    /// The newest bot message in her chat (not deleted) with a button whose
    /// data satisfies `wanted`: its id and that data.
    pub fn find_button(&self, wanted: impl Fn(&str) -> bool) -> Option<(i64, String)> {
        let inner = self.shared.lock();
        let messages = inner.chats.get(&(self.id as i64))?;
        messages
            .iter()
            .rev()
            .filter(|m| m.from_bot && !m.deleted)
            .find_map(|m| {
                let data = m
                    .buttons()
                    .into_iter()
                    .flatten()
                    .map(|(_, d)| d)
                    .find(|d| wanted(d))?;
                Some((m.id, data))
            })
    }

    /// Presses a button and waits for the bot's answer.
    pub async fn tap(&self, label: &str) -> BotMessage {
        self.press(label);
        self.next_reply().await
    }

    /// Sends text and waits for the bot's answer.
    pub async fn say(&self, text: &str) -> BotMessage {
        self.send_text(text);
        self.next_reply().await
    }

    /// Skips everything the bot said so far.
    pub fn skip_replies(&self) {
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = self.shared.lock().calls.len();
    }
}

async fn serve(
    State(shared): State<Shared>,
    Path((token, method)): Path<(String, String)>,
    request: Request,
) -> Response {
    if !token.starts_with("bot") {
        return error(404, "Not Found");
    }
    // Telegram's method names are case-insensitive; teloxide sends `SendMessage`.
    let method = canonical(&method);
    let body = read_body(request).await;
    let (fault, index) = {
        let mut inner = shared.lock();
        let fault = inner.faults.get_mut(&method).and_then(VecDeque::pop_front);
        if let Some(bench) = &mut inner.bench {
            *bench.counts.entry(method.clone()).or_default() += 1;
            (fault, usize::MAX)
        } else {
            inner.calls.push(Call {
                method: method.clone(),
                body: body.clone(),
                fault,
                refused: false,
            });
            (fault, inner.calls.len() - 1)
        }
    };
    match fault {
        Some(Fault::TooManyRequests { retry_after }) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"ok": false, "error_code": 429,
                    "description": format!("Too Many Requests: retry after {retry_after}"),
                    "parameters": {"retry_after": retry_after}})),
            )
                .into_response()
        }
        Some(Fault::ServerError) => return error(500, "Internal Server Error"),
        Some(Fault::Blocked) => return error(403, "Forbidden: bot was blocked by the user"),
        Some(Fault::Unauthorized) => return error(401, "Unauthorized"),
        Some(Fault::Conflict) => {
            return error(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            )
        }
        // Ends the connection without an answer.
        Some(Fault::DropConnection) => {
            std::panic::resume_unwind(Box::new("dropped by fake-bot-api"))
        }
        None => {}
    }
    let delay = chat_id_of(&body).and_then(|chat| shared.lock().delays.get(&chat).copied());
    if let (Some(delay), true) = (delay, method.starts_with("send")) {
        tokio::time::sleep(delay).await;
    }
    let response = match unreachable_chat(&shared, &method, &body) {
        Some(refusal) => refusal,
        None => answer(&shared, &method, &body, index).await,
    };
    let answered = response.status().is_success() || is_not_modified(&shared, &method, &body);
    let mut inner = shared.lock();
    if !answered {
        if let Some(call) = inner.calls.get_mut(index) {
            call.refused = true;
        }
    } else if matches!(method.as_str(), "sendMessage" | "editMessageText") {
        // Bench mode: the step waiting in this chat has its answer.
        let waiter = inner.bench.as_mut().and_then(|bench| {
            let chat = chat_id_of(&body)?;
            // Only once her update is available to the bot.
            bench.waiting.get(&chat)?.available?;
            bench.waiting.remove(&chat)
        });
        if let Some(Waiter {
            available: Some(at),
            tell,
        }) = waiter
        {
            let _ = tell.send(at.elapsed());
        }
    }
    drop(inner);
    response
}

/// An edit to what the message already shows: Telegram says "not modified", and
/// the screen shows the bot's answer all the same.
fn is_not_modified(shared: &Shared, method: &str, body: &Value) -> bool {
    method == "editMessageText"
        && chat_id_of(body).is_some_and(|chat| {
            shared.lock().chats.get(&chat).is_some_and(|messages| {
                messages.iter().any(|m| {
                    Some(m.id) == body["message_id"].as_i64()
                        && m.text.as_deref() == body["text"].as_str()
                        && !m.deleted
                })
            })
        })
}

async fn answer(shared: &Shared, method: &str, body: &Value, index: usize) -> Response {
    let (shared, body) = (shared.clone(), body.clone());
    match method {
        "getUpdates" => get_updates(&shared, &body).await,
        "getMe" => ok(
            json!({"id": BOT_ID, "is_bot": true, "first_name": "Bot", "username": "fake_bot",
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "has_main_web_app": false}),
        ),
        "sendMessage" => send_message(&shared, &body, index),
        "editMessageText" => edit_message(&shared, &body),
        "deleteMessage" => delete(&shared, &body, &[body["message_id"].clone()]),
        "deleteMessages" => {
            let ids = body["message_ids"].as_array().cloned().unwrap_or_default();
            if ids.len() > 100 {
                return error(400, "Bad Request: too many messages to delete");
            }
            delete(&shared, &body, &ids)
        }
        "sendPhoto" | "sendDocument" => send_file(&shared, &body),
        "getChat" => match chat_id_of(&body) {
            Some(id) if id > 0 => ok(json!({
                "id": id, "type": "private", "first_name": "User",
                "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": true, "limited_gifts": true,
                    "unique_gifts": true, "premium_subscription": true},
            })),
            Some(id) if shared.lock().groups.contains(&id) => ok(json!({
                "id": id, "type": "supergroup", "title": "Staff",
                "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": true, "limited_gifts": true,
                    "unique_gifts": true, "premium_subscription": true},
            })),
            _ => error(400, "Bad Request: chat not found"),
        },
        "answerCallbackQuery"
        | "setMyCommands"
        | "deleteMyCommands"
        | "setMyName"
        | "setMyDescription"
        | "setMyShortDescription"
        | "leaveChat"
        | "setChatMenuButton" => ok(json!(true)),
        "setWebhook" => set_webhook(&shared, &body),
        "deleteWebhook" => {
            shared.lock().webhook = None;
            ok(json!(true))
        }
        "getWebhookInfo" => {
            let inner = shared.lock();
            let pending = inner.updates.len();
            let last_error = inner.push_failures.last().map(|_| now());
            match &inner.webhook {
                Some(hook) => ok(json!({"url": hook.url, "has_custom_certificate": false,
                    "pending_update_count": pending, "allowed_updates": hook.allowed_updates,
                    "max_connections": 40, "last_error_date": last_error,
                    "last_error_message": last_error.map(|_| "Wrong response from the webhook")})),
                None => ok(json!({"url": "", "has_custom_certificate": false,
                    "pending_update_count": pending})),
            }
        }
        _ => error(404, "Not Found: method not found"),
    }
}

/// What Telegram answers for a user who never wrote to the bot.
fn unreachable_chat(shared: &Shared, method: &str, body: &Value) -> Option<Response> {
    let chat = match method {
        "setMyCommands" if body["scope"]["type"] == "chat" => chat_id_of(&body["scope"]),
        _ => chat_id_of(body),
    }?;
    if !shared.lock().never_started.contains(&chat) {
        return None;
    }
    match method {
        "sendMessage" | "sendPhoto" | "sendDocument" => Some(error(
            403,
            "Forbidden: bot can't initiate conversation with a user",
        )),
        "getChat" | "setMyCommands" | "editMessageText" => {
            Some(error(400, "Bad Request: chat not found"))
        }
        _ => None,
    }
}

fn canonical(method: &str) -> String {
    let mut chars = method.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

async fn read_body(request: Request) -> Value {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    if is_multipart {
        let mut fields = serde_json::Map::new();
        if let Ok(mut multipart) = Multipart::from_request(request, &()).await {
            while let Ok(Some(field)) = multipart.next_field().await {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().map(str::to_string);
                let bytes = field.bytes().await.unwrap_or_default();
                let value = match file_name {
                    // The bytes are kept (as hex) so tests can read the file back.
                    Some(file) => json!({"file_name": file, "size": bytes.len(),
                        "hex": bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()}),
                    None => {
                        let text = String::from_utf8_lossy(&bytes).to_string();
                        serde_json::from_str(&text).unwrap_or(Value::String(text))
                    }
                };
                fields.insert(name, value);
            }
        }
        // `photo: "attach://x"` names the part `x` that holds the file.
        let attached: Vec<(String, String)> = fields
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.clone(),
                    v.as_str()?.strip_prefix("attach://")?.to_string(),
                ))
            })
            .collect();
        for (field, part) in attached {
            if let Some(file) = fields.remove(&part) {
                fields.insert(field, file);
            }
        }
        return Value::Object(fields);
    }
    let bytes = Bytes::from_request(request, &()).await.unwrap_or_default();
    if bytes.is_empty() {
        return json!({});
    }
    serde_json::from_slice(&bytes).unwrap_or_else(|_| serde_urlencoded_like(&bytes))
}

/// Query-string bodies, which teloxide does not send but a client might.
fn serde_urlencoded_like(bytes: &[u8]) -> Value {
    let text = String::from_utf8_lossy(bytes);
    let map: serde_json::Map<String, Value> = text
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    Value::Object(map)
}

/// Telegram's rules: https, on port 443, 80, 88 or 8443; a secret of 1-256
/// characters `A-Z a-z 0-9 _ -`.
fn set_webhook(shared: &Shared, body: &Value) -> Response {
    let url = body["url"].as_str().unwrap_or_default().to_string();
    let Some(rest) = url.strip_prefix("https://") else {
        return error(
            400,
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
        );
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let port = authority.rsplit_once(':').map(|(_, p)| p).unwrap_or("443");
    if !["443", "80", "88", "8443"].contains(&port) {
        return error(
            400,
            "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
        );
    }
    let secret = body["secret_token"].as_str().map(str::to_string);
    let secret_ok = secret.as_deref().is_none_or(|s| {
        (1..=256).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    });
    if !secret_ok {
        return error(
            400,
            "Bad Request: secret token contains unallowed characters",
        );
    }
    let allowed = match &body["allowed_updates"] {
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        // Multipart bodies carry it as a JSON string.
        Value::String(text) => serde_json::from_str(text).unwrap_or_default(),
        _ => Vec::new(),
    };
    let drop_pending_updates = body["drop_pending_updates"].as_bool().unwrap_or(false);
    {
        let mut inner = shared.lock();
        if drop_pending_updates {
            inner.updates.clear();
        }
        inner.webhook = Some(Webhook {
            url,
            secret_token: secret,
            allowed_updates: allowed,
            drop_pending_updates,
        });
    }
    shared.new_update.notify_waiters();
    ok(json!(true))
}

/// Telegram's side of a webhook: each queued update is POSTed to the bot, in
/// order, and forgotten only once the bot answers 200; other answers are
/// retried after a pause.
async fn push_webhooks(shared: Shared) {
    loop {
        let notified = shared.new_update.notified();
        let next = {
            let mut inner = shared.lock();
            let replay = inner.replays.pop_front();
            match (&inner.webhook, inner.push_to) {
                (Some(hook), Some(addr)) => {
                    let path = hook
                        .url
                        .trim_start_matches("https://")
                        .split_once('/')
                        .map(|(_, p)| format!("/{p}"))
                        .unwrap_or_else(|| "/".into());
                    let update = replay.clone().or_else(|| inner.updates.front().cloned());
                    update.map(|u| (addr, path, hook.secret_token.clone(), u, replay.is_some()))
                }
                _ => {
                    if let Some(replay) = replay {
                        inner.replays.push_front(replay);
                    }
                    None
                }
            }
        };
        let Some((addr, path, secret, update, replayed)) = next else {
            let _ = tokio::time::timeout(Duration::from_millis(200), notified).await;
            continue;
        };
        let status = http_post(addr, &path, secret.as_deref(), &update.to_string()).await;
        let accepted = status == 200;
        {
            let mut inner = shared.lock();
            if accepted {
                if !replayed
                    && inner.updates.front().map(|u| &u["update_id"]) == Some(&update["update_id"])
                {
                    inner.updates.pop_front();
                }
            } else {
                inner.push_failures.push(status);
                if replayed {
                    inner.replays.push_front(update);
                }
            }
        }
        if !accepted {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// One HTTP/1.1 POST of JSON over loopback; the status, or 0 when the bot
/// cannot be reached.
async fn http_post(addr: SocketAddr, path: &str, secret: Option<&str>, body: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let attempt = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let mut head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        if let Some(secret) = secret {
            head.push_str(&format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.ok()?;
        stream.write_all(body.as_bytes()).await.ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.ok()?;
        let line = String::from_utf8_lossy(&answer);
        line.split_whitespace().nth(1)?.parse().ok()
    };
    tokio::time::timeout(Duration::from_secs(10), attempt)
        .await
        .ok()
        .flatten()
        .unwrap_or(0)
}

async fn get_updates(shared: &Shared, body: &Value) -> Response {
    if shared.lock().webhook.is_some() {
        return error(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
    }
    let offset = body["offset"].as_i64().unwrap_or(0);
    let timeout = body["timeout"].as_u64().unwrap_or(0).min(30);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = shared.new_update.notified();
        {
            let mut inner = shared.lock();
            // Updates below the offset are confirmed: forget them.
            while inner
                .updates
                .front()
                .is_some_and(|u| u["update_id"].as_i64().unwrap_or(0) < offset)
            {
                inner.updates.pop_front();
            }
            let limit = body["limit"].as_u64().unwrap_or(100) as usize;
            let mut ready: Vec<Value> = inner.replays.drain(..).collect();
            ready.extend(inner.updates.iter().take(limit).cloned());
            if !ready.is_empty() {
                return ok(Value::Array(ready));
            }
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return ok(json!([]));
        }
    }
}

fn message_json(chat_id: i64, message_id: i64, body: &Value) -> Value {
    let mut message = json!({
        "message_id": message_id, "date": now(),
        "chat": {"id": chat_id, "type": if chat_id > 0 { "private" } else { "supergroup" },
                 "first_name": "User", "title": "Group"},
        "from": {"id": BOT_ID, "is_bot": true, "first_name": "Bot"},
        "text": body["text"].as_str().unwrap_or_default(),
    });
    if let Some(markup) = body
        .get("reply_markup")
        .filter(|m| m.get("inline_keyboard").is_some())
    {
        message["reply_markup"] = markup.clone();
    }
    message
}

fn chat_id_of(body: &Value) -> Option<i64> {
    body["chat_id"]
        .as_i64()
        .or_else(|| body["chat_id"].as_str().and_then(|s| s.parse().ok()))
}

fn send_message(shared: &Shared, body: &Value, call_index: usize) -> Response {
    let Some(chat_id) = chat_id_of(body) else {
        return error(400, "Bad Request: chat not found");
    };
    let text = body["text"].as_str().unwrap_or_default();
    if text.is_empty() {
        return error(400, "Bad Request: message text is empty");
    }
    if text.chars().count() > 4096 {
        return error(400, "Bad Request: message is too long");
    }
    let mut inner = shared.lock();
    let id = inner.take_message_id();
    inner.chats.entry(chat_id).or_default().push(ChatMessage {
        id,
        from_bot: true,
        text: Some(text.to_string()),
        reply_markup: body.get("reply_markup").cloned(),
        deleted: false,
    });
    // Lets a test see which message a sendMessage call created.
    if let Some(call) = inner.calls.get_mut(call_index) {
        call.body["__sent_id"] = json!(id);
    }
    ok(message_json(chat_id, id, body))
}

fn send_file(shared: &Shared, body: &Value) -> Response {
    let Some(chat_id) = chat_id_of(body) else {
        return error(400, "Bad Request: chat not found");
    };
    let mut inner = shared.lock();
    let id = inner.take_message_id();
    inner.chats.entry(chat_id).or_default().push(ChatMessage {
        id,
        from_bot: true,
        text: None,
        reply_markup: None,
        deleted: false,
    });
    ok(message_json(chat_id, id, body))
}

fn edit_message(shared: &Shared, body: &Value) -> Response {
    let (Some(chat_id), Some(message_id)) = (chat_id_of(body), body["message_id"].as_i64()) else {
        return error(400, "Bad Request: message to edit not found");
    };
    let mut inner = shared.lock();
    let Some(message) = inner.chats.get_mut(&chat_id).and_then(|ms| {
        ms.iter_mut()
            .find(|m| m.id == message_id && m.from_bot && !m.deleted)
    }) else {
        return error(400, "Bad Request: message to edit not found");
    };
    let text = body["text"].as_str().map(str::to_string);
    let markup = body.get("reply_markup").cloned();
    if message.text == text && message.reply_markup == markup {
        return error(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
    }
    message.text = text;
    message.reply_markup = markup;
    ok(message_json(chat_id, message_id, body))
}

fn delete(shared: &Shared, body: &Value, ids: &[Value]) -> Response {
    let Some(chat_id) = chat_id_of(body) else {
        return error(400, "Bad Request: chat not found");
    };
    let mut inner = shared.lock();
    let messages = inner.chats.entry(chat_id).or_default();
    let mut any = false;
    for id in ids.iter().filter_map(Value::as_i64) {
        if let Some(m) = messages.iter_mut().find(|m| m.id == id && !m.deleted) {
            m.deleted = true;
            any = true;
        }
    }
    if any {
        ok(json!(true))
    } else {
        error(400, "Bad Request: message to delete not found")
    }
}

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn error(code: u16, description: &str) -> Response {
    (
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
        Json(json!({"ok": false, "error_code": code, "description": description})),
    )
        .into_response()
}
