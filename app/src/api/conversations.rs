//! Conversations: the inbox, one conversation, sending (also as a plain form post),
//! starting one from a listing or a profile, and the per-person actions. Live updates
//! go over `/ws` (server crate); everything here also works without JavaScript.

use crate::error::AppError;
use leptos::prelude::*;
use marktchat_shared::conversation::{ConversationView, InboxFilter, InboxGroup};
use marktchat_shared::UserId;
use serde::{Deserialize, Serialize};

/// A conversation page: the view, and who is looking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationPage {
    pub view: ConversationView,
    pub me: UserId,
    /// The people in it whom the viewer blocked.
    pub blocked: Vec<UserId>,
    /// A fresh client message id for the reply form (a form sent twice is stored once).
    pub client_id: String,
    /// The other person's activity, in a conversation of two (as far as they allow).
    #[serde(default)]
    pub partner_activity: marktchat_shared::Activity,
}

/// What a listing or profile page needs to offer contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactInfo {
    /// Someone is logged in (and it is not their own profile).
    pub can_contact: bool,
    /// The viewer's conversation about the listing (or with the person), if any.
    pub existing: Option<String>,
    /// A fresh client message id for the first-message form.
    pub client_id: String,
    /// The viewer blocked this person.
    pub blocked: bool,
    /// Why the viewer may not start a conversation with this person now, if not.
    pub refused: Option<Refusal>,
}

/// Why a new conversation cannot be started: shown beside a disabled button. Never
/// says more (no tags, and not who blocked whom).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The organisation's contact rules do not allow it.
    Rules,
    /// Blocked, either way.
    Blocked,
}

#[cfg(feature = "ssr")]
impl From<marktchat_services::conversations::Refusal> for Refusal {
    fn from(refusal: marktchat_services::conversations::Refusal) -> Self {
        use marktchat_services::conversations::Refusal as R;
        match refusal {
            R::Rules => Refusal::Rules,
            // Pages offer no button for oneself; should one ask, the neutral words.
            R::Blocked | R::Oneself => Refusal::Blocked,
        }
    }
}

/// Whether `me` may start a new conversation with `other`, and if not, why.
#[cfg(feature = "ssr")]
pub(crate) async fn refusal(
    services: &marktchat_services::Services,
    me: &UserId,
    other: &UserId,
) -> Result<Option<Refusal>, AppError> {
    Ok(services.conversations().refusal(me, other).await?.map(Refusal::from))
}

#[cfg(feature = "ssr")]
fn conversation_id(id: &str) -> Result<marktchat_shared::chat::ConversationId, AppError> {
    // Ids are UUIDs; anything else names no conversation.
    if id.is_empty() || id.len() > 64 {
        return Err(AppError::NotFound);
    }
    Ok(marktchat_shared::chat::ConversationId(id.to_owned()))
}

#[cfg(feature = "ssr")]
/// The message of a form: the quick reply the person tapped (`quick`, the button's
/// text in their language), else what they typed.
fn parse_message(
    client_id: &str,
    text: &str,
    quick: Option<&str>,
) -> Result<(marktchat_shared::chat::ClientMessageId, marktchat_shared::chat::MessageText), AppError>
{
    use marktchat_shared::chat::{ClientMessageId, MessageText};
    use marktchat_shared::Field;
    let text = quick.filter(|q| !q.trim().is_empty()).unwrap_or(text);
    let text =
        MessageText::parse(text).map_err(|problem| AppError::invalid(Field::Message, problem))?;
    let client_id = ClientMessageId::parse(client_id)
        .map_err(|problem| AppError::invalid(Field::Message, problem))?;
    Ok((client_id, text))
}

/// The inbox as `filter` narrows it (a tab, unread only, words), grouped by listing.
#[server(endpoint = "conversations/inbox")]
pub async fn get_inbox(filter: InboxFilter) -> Result<Vec<InboxGroup>, AppError> {
    use super::ctx;
    use marktchat_shared::conversation::group_by_listing;
    let user = ctx::require_user()?;
    let key = format!(
        "conversations/inbox {} {} {}",
        filter.tab.as_str(),
        filter.unread_only,
        filter.words
    );
    ctx::once_per_request(key, move |services| async move {
        let entries = services.conversations().inbox_filtered(&user.id, &filter).await?;
        Ok(group_by_listing(entries))
    })
    .await
}

/// A conversation's newest messages (or those before `before`). Showing the newest
/// marks them read.
#[server(endpoint = "conversations/get")]
pub async fn get_conversation(
    id: String,
    before: Option<u64>,
) -> Result<ConversationPage, AppError> {
    use super::ctx;
    use marktchat_shared::chat::Seq;
    let user = ctx::require_user()?;
    let id = conversation_id(&id)?;
    ctx::once_per_request(
        format!("conversations/get {} {before:?}", id.0),
        move |services| async move {
            let view = services.conversations().view(&user.id, &id, before.map(Seq)).await?;
            if before.is_none() {
                services.mark_read(&user.id, &id, view.last_seq()).await?;
            }
            let mut blocked = Vec::new();
            for p in &view.participants {
                if p.person.id != user.id
                    && services.conversations().has_blocked(&user.id, &p.person.id).await?
                {
                    blocked.push(p.person.id.clone());
                }
            }
            // In a conversation of two: how the other one is usually reached.
            let others: Vec<_> =
                view.participants.iter().filter(|p| p.person.id != user.id && !p.left).collect();
            let partner_activity = match others.as_slice() {
                [other] if other.person.name.is_some() => {
                    services.accounts().activity(&other.person.id).await.unwrap_or_default()
                }
                _ => Default::default(),
            };
            Ok(ConversationPage {
                view,
                me: user.id.clone(),
                blocked,
                client_id: new_client_id(),
                partner_activity,
            })
        },
    )
    .await
}

/// Sends a message. A form post without JavaScript comes back to the conversation.
#[server(endpoint = "conversations/send")]
pub async fn send_message(
    conversation: String,
    client_id: String,
    #[server(default)] text: String,
    // A quick reply's text (its button), instead of `text`.
    quick: Option<String>,
) -> Result<u64, AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    let id = conversation_id(&conversation)?;
    let (client_id, text) = parse_message(&client_id, &text, quick.as_deref())?;
    let sent = match ctx::services()?.send_message(&user.id, &id, &client_id, &text).await {
        // Past the message limit: the person is told what happened, not "too many attempts".
        Err(marktchat_services::Error::RateLimited { retry_after }) => {
            return Err(AppError::WritingTooFast { retry_after_secs: retry_after.as_secs().max(1) })
        }
        sent => sent?,
    };
    leptos_axum::redirect(&format!("/messages/{}#m{}", id.0, sent.message.seq.0));
    Ok(sent.message.seq.0)
}

/// Starts (or continues) the conversation about a listing (`listing`) or with a person
/// (`user`) with its first message, and goes there.
#[server(endpoint = "conversations/contact")]
pub async fn contact(
    listing: Option<String>,
    user: Option<String>,
    client_id: String,
    #[server(default)] text: String,
    // A quick reply's text (its button), instead of `text`.
    quick: Option<String>,
) -> Result<String, AppError> {
    use super::ctx;
    use marktchat_services::conversations::About;
    let actor = ctx::require_user()?;
    let about = match (listing, user) {
        (Some(l), None) if !l.is_empty() => About::Listing(l),
        (None, Some(u)) if !u.is_empty() => About::Person(UserId(u)),
        _ => return Err(AppError::NotFound),
    };
    let (client_id, text) = parse_message(&client_id, &text, quick.as_deref())?;
    let sent = ctx::services()?.start_conversation(&actor.id, &about, &client_id, &text).await?;
    let id = sent.message.conversation.0;
    leptos_axum::redirect(&format!("/messages/{id}"));
    Ok(id)
}

/// What a person's profile offers the viewer: their direct conversation with them, if
/// any ("open conversation"), an id for a first message, and whether the viewer
/// blocked them. (The listing page gets the same from `get_listing`.)
#[server(endpoint = "conversations/contact-info")]
pub async fn get_contact_info(user: String) -> Result<ContactInfo, AppError> {
    use super::ctx;
    let viewer = ctx::session().user;
    ctx::once_per_request(
        format!("conversations/contact-info {user}"),
        move |services| async move {
            let client_id = new_client_id();
            let me = match viewer {
                Some(me) if me.id.0 != user => me,
                // Logged out, or one's own profile.
                _ => {
                    return Ok(ContactInfo {
                        can_contact: false,
                        existing: None,
                        client_id,
                        blocked: false,
                        refused: None,
                    })
                }
            };
            let option = services
                .conversations()
                .write_options(&me.id, &[UserId(user)])
                .await?
                .pop()
                .ok_or(AppError::Internal)?;
            Ok(ContactInfo {
                can_contact: true,
                existing: option.existing.map(|c| c.0),
                client_id,
                blocked: option.blocked_by_me,
                refused: option.refused.map(Refusal::from),
            })
        },
    )
    .await
}

/// The people the viewer blocked (the profile lists them, to unblock).
#[server(endpoint = "conversations/blocked")]
pub async fn get_blocked() -> Result<Vec<marktchat_shared::conversation::Person>, AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    ctx::once_per_request("conversations/blocked".to_owned(), move |services| async move {
        Ok(services.conversations().blocked_by(&user.id).await?)
    })
    .await
}

/// Archives (`on` present) or unarchives the conversation for the viewer.
#[server(endpoint = "conversations/archive")]
pub async fn set_archived(id: String, on: Option<String>) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    let id = conversation_id(&id)?;
    ctx::services()?.set_archived(&user.id, &id, on.is_some()).await?;
    leptos_axum::redirect(&format!("/messages/{}", id.0));
    Ok(())
}

/// Mutes (`on` present) or unmutes the conversation for the viewer.
#[server(endpoint = "conversations/mute")]
pub async fn set_muted(id: String, on: Option<String>) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    let id = conversation_id(&id)?;
    ctx::services()?.set_muted(&user.id, &id, on.is_some()).await?;
    leptos_axum::redirect(&format!("/messages/{}", id.0));
    Ok(())
}

/// Deletes the conversation for the viewer only (needs `confirm`).
#[server(endpoint = "conversations/delete")]
pub async fn delete_conversation(id: String, confirm: Option<String>) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_shared::{Field, Invalid};
    let user = ctx::require_user()?;
    let id = conversation_id(&id)?;
    if confirm.is_none() {
        return Err(AppError::invalid(Field::Confirmation, Invalid::NotConfirmed));
    }
    ctx::services()?.delete_conversation_for_me(&user.id, &id).await?;
    leptos_axum::redirect("/messages?deleted=1");
    Ok(())
}

/// Adds a person to the conversation (it becomes a group). `person` is a link to their
/// profile (or its id) or their display name, if only one member has it.
#[server(endpoint = "conversations/add")]
pub async fn add_participant(id: String, person: String) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_shared::{Field, Invalid};
    let user = ctx::require_user()?;
    let id = conversation_id(&id)?;
    let services = ctx::services()?;
    let invalid = |problem| AppError::invalid(Field::Participant, problem);
    let person = person.trim();
    if person.is_empty() {
        return Err(invalid(Invalid::Empty));
    }
    // A profile link ends in the id: ".../users/<id>".
    let by_link = person
        .trim_end_matches('/')
        .rsplit("/users/")
        .next()
        .filter(|_| person.contains("/users/"));
    let candidates = match by_link {
        Some(id) => vec![UserId(id.to_owned())],
        None => services.accounts().find_by_name(person, 2).await?,
    };
    let target = match candidates.as_slice() {
        [one] => one.clone(),
        [] => return Err(invalid(Invalid::NoSuchPerson)),
        _ => return Err(invalid(Invalid::AmbiguousName)),
    };
    match services.add_participant(&user.id, &id, &target).await {
        // An unknown profile link names nobody; the conversation itself was checked.
        Err(marktchat_services::Error::NotFound) => {
            services
                .conversations()
                .view(&user.id, &id, Some(marktchat_shared::chat::Seq(1)))
                .await?;
            return Err(invalid(Invalid::NoSuchPerson));
        }
        other => other?,
    }
    leptos_axum::redirect(&format!("/messages/{}", id.0));
    Ok(())
}

/// Leaves a group conversation.
#[server(endpoint = "conversations/leave")]
pub async fn leave_conversation(id: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    let id = conversation_id(&id)?;
    ctx::services()?.leave_conversation(&user.id, &id).await?;
    leptos_axum::redirect("/messages?left=1");
    Ok(())
}

/// Blocks (`on` present) or unblocks a person, then goes back to `next` (a path on this
/// site) or their profile.
#[server(endpoint = "conversations/block")]
pub async fn set_blocked(
    user: String,
    on: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::require_user()?;
    let target = UserId(user);
    ctx::services()?.set_blocked(&actor.id, &target, on.is_some()).await?;
    let back = format!("/users/{}", target.0);
    leptos_axum::redirect(&super::auth::safe_next(next.as_deref(), &back));
    Ok(())
}

/// The unread messages over all the viewer's conversations (the header badge).
#[server(endpoint = "conversations/unread")]
pub async fn unread_total() -> Result<u64, AppError> {
    use super::ctx;
    let Some(user) = ctx::session().user else { return Ok(0) };
    // On a conversation's own page, loading the page reads the conversation: it does
    // not count, or the badge would be a page behind.
    let reading = ctx::parts().and_then(|p| reading_conversation(&p.uri));
    ctx::once_per_request("conversations/unread".to_owned(), move |services| async move {
        let reading = reading.map(marktchat_shared::chat::ConversationId);
        Ok(services.conversations().unread_total_reading(&user.id, reading.as_ref()).await?)
    })
    .await
}

/// The conversation a request's page shows from its newest message on (and so reads):
/// `/messages/{id}` without `?before=`.
#[cfg(feature = "ssr")]
fn reading_conversation(uri: &http::Uri) -> Option<String> {
    let id = uri.path().strip_prefix("/messages/")?;
    let paged = uri
        .query()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "before"));
    (!id.is_empty() && !id.contains('/') && !paged).then(|| id.to_owned())
}

/// A fresh client message id, for a form's hidden field (a resent form is then stored
/// once).
#[cfg(feature = "ssr")]
pub(crate) fn new_client_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
