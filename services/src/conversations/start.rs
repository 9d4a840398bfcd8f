//! Who may start a conversation with whom, for one person or a page of them at once:
//! the one gate ([`Conversations::may_start_conversation`]) and the answers the pages
//! show on their "Contact seller" and "Message" buttons before anyone clicks.

use super::{direct_key, placeholders, Conversations};
use crate::contact_rules::ContactRules;
use crate::error::{Error, Result};
use marktchat_shared::chat::ConversationId;
use marktchat_shared::UserId;
use std::collections::{HashMap, HashSet};

/// Why a new conversation with someone cannot start. (It never says more: not the
/// other person's tags, and not who blocked whom.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Oneself,
    /// One of the two blocked the other.
    Blocked,
    /// Interaction restrictions are on and no contact rule allows it.
    Rules,
}

/// What a "Message" button for one person shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOption {
    /// The direct conversation the two already have: writing there is never judged
    /// again.
    pub existing: Option<ConversationId>,
    /// The viewer blocked this person (and can unblock them).
    pub blocked_by_me: bool,
    /// Why a new conversation cannot start, when it cannot.
    pub refused: Option<Refusal>,
}

/// The most people one call judges (a page is 20; each call is a few queries).
pub const MAX_TARGETS: usize = 200;

impl Conversations<'_> {
    /// Whether `actor` may start a conversation with `target` (or add them to one): not
    /// oneself, not when either blocked the other, and, with interaction restrictions
    /// on, only when a contact rule allows it. Conversations that exist are never
    /// judged again.
    pub async fn may_start_conversation(&self, actor: &UserId, target: &UserId) -> Result<bool> {
        Ok(self.refusal(actor, target).await?.is_none())
    }

    /// Why `actor` may not start a conversation with `target`, or `None` when they may.
    pub async fn refusal(&self, actor: &UserId, target: &UserId) -> Result<Option<Refusal>> {
        Ok(self.refusals(actor, std::slice::from_ref(target)).await?.0.remove(0))
    }

    /// For each of `targets` (at most [`MAX_TARGETS`]), what a "Message" button shows:
    /// in four queries at most, however many there are.
    pub async fn write_options(
        &self,
        actor: &UserId,
        targets: &[UserId],
    ) -> Result<Vec<WriteOption>> {
        let mut existing = self.direct_conversations(actor, targets).await?;
        let (refused, blocked_by_me) = self.refusals(actor, targets).await?;
        Ok(targets
            .iter()
            .zip(refused)
            .map(|(target, refused)| {
                let existing = existing.remove(&target.0);
                WriteOption {
                    blocked_by_me: blocked_by_me.contains(&target.0),
                    refused: if existing.is_some() { None } else { refused },
                    existing,
                }
            })
            .collect())
    }

    /// Each target's refusal, and whom of them the actor blocked.
    async fn refusals(
        &self,
        actor: &UserId,
        targets: &[UserId],
    ) -> Result<(Vec<Option<Refusal>>, HashSet<String>)> {
        if targets.len() > MAX_TARGETS {
            return Err(Error::inconsistent("too many people to judge at once"));
        }
        let others: Vec<&UserId> = targets.iter().filter(|t| *t != actor).collect();
        let (blocked_by_me, blocked_either) = self.blocks_among(actor, &others).await?;
        let judged: Vec<&UserId> =
            others.iter().copied().filter(|t| !blocked_either.contains(&t.0)).collect();
        let allowed = ContactRules::new(self.db).allows_each(actor, &judged).await?;
        let allowed: HashMap<&str, bool> =
            judged.iter().map(|t| t.0.as_str()).zip(allowed).collect();
        let refused = targets
            .iter()
            .map(|t| {
                if t == actor {
                    Some(Refusal::Oneself)
                } else if blocked_either.contains(&t.0) {
                    Some(Refusal::Blocked)
                } else if allowed.get(t.0.as_str()) == Some(&true) {
                    None
                } else {
                    Some(Refusal::Rules)
                }
            })
            .collect();
        Ok((refused, blocked_by_me))
    }

    /// Of `others`: whom `actor` blocked, and who is blocked either way.
    async fn blocks_among(
        &self,
        actor: &UserId,
        others: &[&UserId],
    ) -> Result<(HashSet<String>, HashSet<String>)> {
        let (mut by_me, mut either) = (HashSet::new(), HashSet::new());
        if others.is_empty() {
            return Ok((by_me, either));
        }
        let marks = placeholders(2, others.len());
        let sql = format!(
            "SELECT blocker_id, blocked_id FROM blocks
             WHERE (blocker_id = $1 AND blocked_id IN ({marks}))
                OR (blocked_id = $1 AND blocker_id IN ({marks}))"
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql).bind(&actor.0);
        for other in others {
            query = query.bind(&other.0);
        }
        for (blocker, blocked) in query.fetch_all(self.db.pool()).await? {
            if blocker == actor.0 {
                by_me.insert(blocked.clone());
                either.insert(blocked);
            } else {
                either.insert(blocker);
            }
        }
        Ok((by_me, either))
    }

    /// The direct conversations `actor` is in with any of `others`, by the other's id.
    async fn direct_conversations(
        &self,
        actor: &UserId,
        others: &[UserId],
    ) -> Result<HashMap<String, ConversationId>> {
        let keys: HashMap<String, &UserId> =
            others.iter().filter(|o| *o != actor).map(|o| (direct_key(actor, o), o)).collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT c.id, c.direct_key FROM conversations c
             JOIN conversation_participants p ON p.conversation_id = c.id AND p.user_id = $1
             WHERE c.direct_key IN ({}) AND p.left_at IS NULL",
            placeholders(2, keys.len())
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql).bind(&actor.0);
        for key in keys.keys() {
            query = query.bind(key);
        }
        let mut out = HashMap::new();
        for (id, key) in query.fetch_all(self.db.pool()).await? {
            if let Some(other) = keys.get(&key) {
                out.insert(other.0.clone(), ConversationId(id));
            }
        }
        Ok(out)
    }
}
