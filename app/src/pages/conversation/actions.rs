//! The conversation's actions, folded away: archive, mute, block, leave, add someone
//! (direct conversations only), delete for me.

use crate::api::conversations::{
    AddParticipant, DeleteConversation, LeaveConversation, SetArchived, SetBlocked, SetMuted,
};
use crate::components::{action_error, FieldError, FormAlert};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use marktchat_shared::Field;

#[component]
pub(super) fn ConversationActions(
    id: String,
    archived: bool,
    muted: bool,
    group: bool,
    /// In a two-person conversation: the other person, and whether the viewer blocked them.
    other: Option<(String, bool)>,
    /// A conversation about a listing: it stays between buyer and seller (no adding).
    about_listing: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let archive = ServerAction::<SetArchived>::new();
    let mute = ServerAction::<SetMuted>::new();
    let delete = ServerAction::<DeleteConversation>::new();
    let leave = ServerAction::<LeaveConversation>::new();
    let add = ServerAction::<AddParticipant>::new();
    let add_errors = action_error(add);
    let block = ServerAction::<SetBlocked>::new();
    let delete_errors = action_error(delete);
    let back = format!("/messages/{id}");
    let (id_archive, id_mute, id_leave, id_add, id_delete) =
        (id.clone(), id.clone(), id.clone(), id.clone(), id);
    view! {
        // Open when one of its forms was refused: the reason shows where the person looks.
        <details
            class="card conversation-actions"
            open=move || add_errors.get().is_some() || delete_errors.get().is_some()
        >
            <summary>{i18n.t(Msg::Actions)}</summary>
            <ActionForm action=archive attr:class="inline-form">
                <input type="hidden" name="id" value=id_archive />
                {(!archived).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                <button type="submit" class="secondary">
                    {i18n.t(if archived { Msg::Unarchive } else { Msg::Archive })}
                </button>
            </ActionForm>
            <ActionForm action=mute attr:class="inline-form">
                <input type="hidden" name="id" value=id_mute />
                {(!muted).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                <button type="submit" class="secondary">
                    {i18n.t(if muted { Msg::Unmute } else { Msg::Mute })}
                </button>
            </ActionForm>
            {other.map(|(user, is_blocked)| view! {
                <ActionForm action=block attr:class="inline-form">
                    <input type="hidden" name="user" value=user />
                    <input type="hidden" name="next" value=back.clone() />
                    {(!is_blocked).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                    <button type="submit" class="secondary">
                        {i18n.t(if is_blocked { Msg::Unblock } else { Msg::Block })}
                    </button>
                </ActionForm>
            })}
            {group.then(|| view! {
                <ActionForm action=leave attr:class="inline-form">
                    <input type="hidden" name="id" value=id_leave />
                    <button type="submit" class="secondary">{i18n.t(Msg::Leave)}</button>
                </ActionForm>
            })}
            {(!about_listing).then(|| view! {
                <ActionForm action=add attr:class="add-person-form">
                    <FormAlert errors=add_errors />
                    <input type="hidden" name="id" value=id_add />
                    <label for="person">{i18n.t(Msg::AddPersonLabel)}</label>
                    <input type="text" id="person" name="person" required aria-describedby="person-hint" />
                    <p class="hint" id="person-hint">{i18n.t(Msg::AddPersonHint)}</p>
                    <FieldError field=Field::Participant errors=add_errors />
                    <button type="submit" class="secondary">{i18n.t(Msg::AddPerson)}</button>
                </ActionForm>
            })}
            <ActionForm action=delete attr:class="delete-form">
                <FormAlert errors=delete_errors />
                <input type="hidden" name="id" value=id_delete />
                <label class="checkbox">
                    <input type="checkbox" name="confirm" value="1" required />
                    {i18n.t(Msg::DeleteForMeConfirm)}
                </label>
                <FieldError field=Field::Confirmation errors=delete_errors />
                <button type="submit" class="danger">{i18n.t(Msg::DeleteForMe)}</button>
            </ActionForm>
        </details>
    }
}
