//! Queueing mail and the sender every instance runs (one at a time sends: see
//! [`crate::mail`]).

use crate::error::Result;
use crate::mail::{self, Outgoing};
use crate::Services;
use std::time::Duration;

/// Mails one round sends at most (the next round goes on).
const ROUND_MAX: usize = 100;

impl Services {
    /// Queues `mail` and wakes this instance's sender.
    pub async fn queue_mail(&self, mail: &Outgoing) -> Result<()> {
        mail::queue::push(&self.db, mail).await?;
        self.mail_queued.notify_one();
        Ok(())
    }

    /// One round of sending, if this instance gets the round (a job claim): every due
    /// mail, up to [`ROUND_MAX`]. Returns how many mails it tried.
    pub async fn send_mail_round(&self) -> Result<usize> {
        if !crate::jobs::claim(&self.db, "mail", Duration::from_secs(1)).await? {
            return Ok(0);
        }
        let mut tried = 0;
        while tried < ROUND_MAX {
            let Some(queued) = mail::queue::take(&self.db).await? else { break };
            let outcome = mail::send(&self.settings.mail, &queued).await;
            match &outcome {
                mail::Sent::Done => {}
                mail::Sent::Transient(error) => {
                    tracing::warn!(%error, attempt = queued.attempts, "a mail could not be sent; it is tried again later");
                }
                mail::Sent::Permanent(error) => {
                    tracing::warn!(%error, "a mail was refused for good; it is not tried again");
                }
            }
            mail::queue::settle(&self.db, &queued, &outcome).await?;
            tried += 1;
            if matches!(outcome, mail::Sent::Transient(_)) {
                // The server is down or busy: the others wait for the next round.
                break;
            }
        }
        Ok(tried)
    }

    /// Sends queued mail for as long as the process runs: a round every
    /// [`mail::ROUND_EVERY`], and at once when this instance queued a mail.
    pub async fn run_mail_sender(self) {
        loop {
            if let Err(e) = self.send_mail_round().await {
                tracing::warn!(error = %e.report(), "sending mail failed; trying again soon");
            }
            tokio::select! {
                _ = tokio::time::sleep(mail::ROUND_EVERY) => {}
                _ = self.mail_queued.notified() => {}
            }
        }
    }
}
