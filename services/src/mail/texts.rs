//! The mails' words, in the recipient's language, as plain text and as HTML. What a
//! person typed (their name) is escaped in the HTML; links are ours.

use super::Outgoing;
use marktchat_shared::Language;

/// The password reset mail: a link that works once, for an hour.
pub fn password_reset(to: &str, language: Language, name: &str, link: &str) -> Outgoing {
    let (subject, hello, body, button, ignore) = match language {
        Language::De => (
            "Passwort zurücksetzen",
            format!("Hallo {name},"),
            "jemand (hoffentlich du) möchte das Passwort deines marktchat-Kontos neu setzen. \
             Der Link gilt eine Stunde lang und nur einmal.",
            "Neues Passwort wählen",
            "Warst du das nicht? Dann ignoriere diese E-Mail; dein Passwort bleibt, wie es ist.",
        ),
        Language::En => (
            "Reset your password",
            format!("Hello {name},"),
            "someone (hopefully you) asked to set a new password for your marktchat account. \
             The link works once, for one hour.",
            "Choose a new password",
            "Not you? Then ignore this e-mail; your password stays as it is.",
        ),
    };
    link_mail(to, LinkMail { subject, hello: &hello, body, button, link, ignore })
}

/// To a new e-mail address: the link that confirms it (a day, once).
pub fn email_change_confirm(to: &str, language: Language, name: &str, link: &str) -> Outgoing {
    let (subject, hello, body, button, ignore) = match language {
        Language::De => (
            "Neue E-Mail-Adresse bestätigen",
            format!("Hallo {name},"),
            "diese Adresse soll künftig die Anmeldung deines marktchat-Kontos sein. Bestätige \
             sie mit dem Link; er gilt einen Tag lang und nur einmal.",
            "Adresse bestätigen",
            "Warst du das nicht? Dann ignoriere diese E-Mail; nichts ändert sich.",
        ),
        Language::En => (
            "Confirm your new e-mail address",
            format!("Hello {name},"),
            "this address is to be the login of your marktchat account from now on. Confirm it \
             with the link; it works once, for one day.",
            "Confirm address",
            "Not you? Then ignore this e-mail; nothing changes.",
        ),
    };
    link_mail(to, LinkMail { subject, hello: &hello, body, button, link, ignore })
}

/// To the current address, when a change to `new_email` was asked for.
pub fn email_change_notice(to: &str, language: Language, name: &str, new_email: &str) -> Outgoing {
    let (subject, hello, body, act) = match language {
        Language::De => (
            "Deine E-Mail-Adresse soll sich ändern",
            format!("Hallo {name},"),
            format!(
                "für dein marktchat-Konto wurde die neue Adresse {new_email} angegeben. Sie gilt, \
             sobald sie bestätigt ist."
            ),
            "Warst du das nicht? Dann setze sofort ein neues Passwort (\"Passwort vergessen?\" auf \
             der Anmeldeseite): Jemand kennt dein jetziges.",
        ),
        Language::En => (
            "Your e-mail address is about to change",
            format!("Hello {name},"),
            format!(
                "the new address {new_email} was given for your marktchat account. It counts as \
             soon as it is confirmed."
            ),
            "Not you? Then set a new password at once (\"Forgot your password?\" on the login \
             page): someone knows your current one.",
        ),
    };
    let text = format!("{hello}\n\n{body}\n\n{act}\n\n-- \nmarktchat\n");
    let html = page(
        subject,
        &format!(
            "<p>{hello}</p><p>{body}</p><p><strong>{act}</strong></p>",
            hello = escape(&hello),
            body = escape(&body),
            act = escape(act),
        ),
    );
    Outgoing { to: to.to_owned(), subject: subject.to_owned(), text, html, unsubscribe: None }
}

/// The words of a mail whose point is one link.
struct LinkMail<'a> {
    subject: &'a str,
    hello: &'a str,
    body: &'a str,
    button: &'a str,
    link: &'a str,
    /// What to do if it was not you.
    ignore: &'a str,
}

/// A mail whose point is one link: a greeting, why, the link as a button (and
/// written out, for clients that show no buttons), and what to do if it was not you.
fn link_mail(to: &str, m: LinkMail<'_>) -> Outgoing {
    let LinkMail { subject, hello, body, button, link, ignore } = m;
    let text = format!("{hello}\n\n{body}\n\n{button}: {link}\n\n{ignore}\n\n-- \nmarktchat\n");
    let html = page(
        subject,
        &format!(
            "<p>{hello}</p><p>{body}</p>{button}<p style=\"color:#555\">{ignore}</p>",
            hello = escape(hello),
            body = escape(body),
            button = button_link(link, button),
            ignore = escape(ignore),
        ),
    );
    Outgoing { to: to.to_owned(), subject: subject.to_owned(), text, html, unsubscribe: None }
}

/// A whole HTML mail around `content`: one column, inline styles (mail clients drop
/// style sheets), readable without images.
fn page(title: &str, content: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\
         <body style=\"margin:0;padding:24px;background:#f4f4f1;font-family:Arial,Helvetica,sans-serif;\
         font-size:16px;line-height:1.5;color:#1d1d1b\">\
         <div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px\">\
         <p style=\"font-weight:bold;font-size:20px;color:#0f766e;margin-top:0\">marktchat</p>\
         {content}</div></body></html>",
        title = escape(title),
    )
}

fn button_link(href: &str, label: &str) -> String {
    format!(
        "<p><a href=\"{href}\" style=\"display:inline-block;background:#0f766e;color:#fff;\
         padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold\">{label}</a></p>\
         <p style=\"font-size:14px;color:#555;word-break:break-all\">{href}</p>",
        href = escape(href),
        label = escape(label),
    )
}

/// Text as HTML: the five characters that could start markup or end an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_never_markup_and_each_language_has_its_words() {
        let mail = password_reset(
            "a@example.de",
            Language::De,
            "<b>Eve</b> & \"Co\"",
            "https://markt.example/password/reset?token=abc",
        );
        assert_eq!(mail.subject, "Passwort zurücksetzen");
        assert!(mail.html.contains("&lt;b&gt;Eve&lt;/b&gt; &amp; &quot;Co&quot;"));
        assert!(!mail.html.contains("<b>Eve"));
        assert!(mail.text.contains("Hallo <b>Eve</b>"), "plain text stays as typed");
        assert!(mail.text.contains("https://markt.example/password/reset?token=abc"));
        let en = password_reset("a@example.de", Language::En, "Eve", "https://x/r?token=1");
        assert_eq!(en.subject, "Reset your password");
        assert!(en.html.contains("Choose a new password"));
        assert!(en.unsubscribe.is_none());
        // No runs of spaces in the plain text (a lost line continuation shows there).
        for language in [Language::De, Language::En] {
            for mail in [
                password_reset("a@example.de", language, "Eve", "https://x/r?token=1"),
                email_change_confirm("a@example.de", language, "Eve", "https://x/c?token=1"),
                email_change_notice("a@example.de", language, "Eve", "b@example.de"),
            ] {
                assert!(!mail.text.contains("  "), "{}", mail.text);
            }
        }
    }
}
