//! Sync API clients (`../shared/spec/sync-api.md`): a name, scopes and a bearer token
//! of which only the SHA-256 is stored. Revoking one stops its token at once.

use crate::clock::now;
use crate::db::Database;
use crate::error::{Error, Result};
use crate::sessions::hash_token;
use marktchat_shared::{Field, Invalid, Problems};
use rand::RngCore;

/// The longest client name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A client's name: one line of 1–100 characters, spaces collapsed.
fn client_name(typed: &str) -> std::result::Result<String, Invalid> {
    marktchat_shared::validation::one_line(typed, MAX_NAME_CHARS)
}

/// What a client may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    TagRuleRead,
    TagRuleWrite,
    UserRead,
    UserWrite,
}

impl Scope {
    pub const ALL: [Scope; 4] =
        [Scope::TagRuleRead, Scope::TagRuleWrite, Scope::UserRead, Scope::UserWrite];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::TagRuleRead => "TAG_RULE_READ",
            Scope::TagRuleWrite => "TAG_RULE_WRITE",
            Scope::UserRead => "USER_READ",
            Scope::UserWrite => "USER_WRITE",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A client that presented a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

pub struct ApiClients<'a> {
    db: &'a Database,
}

impl<'a> ApiClients<'a> {
    pub fn new(db: &'a Database) -> Self {
        ApiClients { db }
    }

    /// Creates a client; returns its token (shown once, never stored).
    pub async fn create(&self, name: &str, scopes: &[Scope]) -> Result<String> {
        let mut problems = Problems::default();
        let name = problems.check(Field::ClientName, client_name(name));
        if scopes.is_empty() {
            problems.add(Field::Scopes, Invalid::Empty);
        }
        let name = problems.result(name).map_err(Error::Invalid)?;
        let name = name.as_str();
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = format!("mct_{}", hex::encode(bytes));
        let inserted = sqlx::query(
            "INSERT INTO api_clients (id, name, token_hash, scopes, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(name)
        .bind(hash_token(&token))
        .bind(scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
        .bind(now().millis())
        .execute(self.db.pool())
        .await;
        match inserted {
            Ok(_) => Ok(token),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(Error::invalid(Field::ClientName)(Invalid::Duplicate))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Revokes the client named `name`: its token stops working at once.
    pub async fn revoke(&self, name: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_clients SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL",
        )
        .bind(name.trim())
        .bind(now().millis())
        .execute(self.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Refused(format!("no active client named {:?}", name.trim())));
        }
        Ok(())
    }

    /// Every client, newest first: name, scopes, whether revoked (never a token).
    pub async fn list(&self) -> Result<Vec<(String, Vec<Scope>, bool)>> {
        let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT name, scopes, revoked_at FROM api_clients ORDER BY created_at DESC, name",
        )
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, scopes, revoked)| {
                (name, scopes.split(' ').filter_map(Scope::parse).collect(), revoked.is_some())
            })
            .collect())
    }

    /// The client a bearer token belongs to, unless it is unknown or revoked.
    pub async fn authenticate(&self, token: &str) -> Result<Option<ApiClient>> {
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT id, name, scopes FROM api_clients
             WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(hash_token(token))
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(|(id, name, scopes)| ApiClient {
            id,
            name,
            scopes: scopes.split(' ').filter_map(Scope::parse).collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;
    use marktchat_test_macros::db_test;

    #[db_test]
    async fn tokens_are_shown_once_checked_by_hash_and_revoked_at_once(backend: Backend) {
        let (db, _guard) = crate::db::test_db(backend).await;
        let clients = ApiClients::new(&db);
        let token =
            clients.create("HR system", &[Scope::UserWrite, Scope::UserRead]).await.unwrap();
        let stored: (String,) = sqlx::query_as("SELECT token_hash FROM api_clients")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_ne!(stored.0, token, "only the hash is stored");
        let client = clients.authenticate(&token).await.unwrap().unwrap();
        assert_eq!(client.name, "HR system");
        assert_eq!(client.scopes, [Scope::UserRead, Scope::UserWrite]);
        assert_eq!(clients.authenticate("mct_wrong").await.unwrap(), None);
        let taken = clients.create(" HR  system ", &[Scope::UserRead]).await.unwrap_err();
        assert_eq!(taken.problem_for(Field::ClientName), Some(Invalid::Duplicate), "{taken}");
        // Every problem at once: a name that is blank and no scope.
        let both = clients.create("  ", &[]).await.unwrap_err();
        assert_eq!(both.problem_for(Field::ClientName), Some(Invalid::Empty));
        assert_eq!(both.problem_for(Field::Scopes), Some(Invalid::Empty));
        clients.revoke("HR system").await.unwrap();
        assert_eq!(clients.authenticate(&token).await.unwrap(), None);
        assert!(matches!(clients.revoke("HR system").await, Err(Error::Refused(_))));
    }
}
