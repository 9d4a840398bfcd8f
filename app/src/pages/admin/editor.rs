//! The rule editor: the condition is checked as it is typed, in the browser, by
//! `shared::rules::parse` (the server's own parser, compiled to WASM), and the preview
//! shows what the saved rules with this change would allow, group by group, from the
//! tag sets in use. Without JavaScript the form posts and the server checks it.

use crate::api::admin::{AdminRule, RulesPage, SaveRule, TagGroup};
use crate::components::{action_error, textarea_text, FieldError, FormAlert};
use crate::error::AppError;
use crate::i18n::{invalid_text, rule_parse_words, use_i18n, Msg};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use marktchat_shared::rules::draft::{split_tags, DraftError, RuleDraft};
use marktchat_shared::rules::preview::{compare, Group, GroupReach};
use marktchat_shared::rules::{parse, Rule, RuleSet, Tag};
use marktchat_shared::{Field, Invalid};

/// How many groups the matrix shows (the largest).
const MATRIX_GROUPS: usize = 12;

fn rule_of(r: &AdminRule) -> Option<Rule> {
    Some(Rule {
        id: r.id.clone(),
        condition: parse(&r.condition).ok()?,
        outcome: r.outcome.iter().map(|t| Tag::parse(t).ok()).collect::<Option<Vec<_>>>()?,
    })
}

fn groups_of(groups: &[TagGroup]) -> Vec<Group> {
    groups
        .iter()
        .map(|g| Group {
            tags: g.tags.iter().filter_map(|t| Tag::parse(t).ok()).collect(),
            size: g.size,
        })
        .collect()
}

/// The edited rule, checked as the server will check it; or why it is not a rule.
fn candidate(condition: &str, outcome: &str) -> Result<Rule, DraftError> {
    RuleDraft::check(condition, &split_tags(outcome), None).map(|d| d.into_rule("edited".into()))
}

/// The rule as typed before a post without JavaScript came back with problems
/// (`api::admin::save_rule` sends it back with the error; the server keeps both out of
/// the address). The editor island gets it as a prop, so the browser starts as the
/// server rendered.
fn typed_rule() -> std::collections::HashMap<String, String> {
    use leptos::server::ServerActionError;
    if use_context::<ServerActionError>().is_none_or(|e| e.path() != SaveRule::PATH) {
        return Default::default();
    }
    crate::app::failed_form_fields()
        .into_iter()
        .filter(|(k, _)| ["condition", "outcome", "description"].contains(&k.as_str()))
        .collect()
}

/// The editor as the server renders it: the rule as typed before a post without
/// JavaScript came back, and that post's problems, go into [`LiveRuleEditor`]'s props.
#[component]
pub fn RuleEditor(
    page: RulesPage,
    editing: Option<AdminRule>,
    save: ServerAction<SaveRule>,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors = action_error(save).get_untracked();
    view! { <LiveRuleEditor locale=i18n.locale_untracked() page editing typed=typed_rule() errors /> }
}

/// The form and the preview, checked and drawn in the browser as the admin types. A
/// chunk of its own: the rule language's parser and the preview come only with it.
#[island(lazy)]
fn LiveRuleEditor(
    locale: crate::i18n::Locale,
    page: RulesPage,
    editing: Option<AdminRule>,
    mut typed: std::collections::HashMap<String, String>,
    errors: Option<AppError>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::pages::chunks::preload_chunks("live_rule_editor_loader");
    let i18n = crate::i18n::provide_locale(locale);
    let errors = Signal::stored(errors);
    let id = editing.as_ref().map(|r| r.id.clone()).unwrap_or_default();
    // What the form starts with: the rule as typed when a post without JavaScript
    // came back with problems, else the rule being edited, else nothing.
    let mut start =
        |name: &str, stored: Option<String>| typed.remove(name).or(stored).unwrap_or_default();
    let condition_start = start("condition", editing.as_ref().map(|r| r.condition.clone()));
    let outcome_start = start("outcome", editing.as_ref().map(|r| r.outcome.join(", ")));
    let description = start("description", editing.as_ref().and_then(|r| r.description.clone()));
    let condition = RwSignal::new(condition_start.clone());
    let outcome = RwSignal::new(outcome_start.clone());
    let heading = if editing.is_some() { Msg::RuleEditing } else { Msg::RuleNew };
    // Once the page is live, the checks follow what the fields hold: the browser may
    // have restored them (Back).
    let (condition_input, outcome_input) = (NodeRef::<Input>::new(), NodeRef::<Input>::new());
    Effect::new(move |_| {
        if let Some(el) = condition_input.get() {
            condition.set(el.value());
        }
        if let Some(el) = outcome_input.get() {
            outcome.set(el.value());
        }
    });
    // An empty field's message: the server's answer, if it said the field was empty
    // (once there is text, the check as typed speaks).
    let server_problem = move |field: Field| {
        errors.get().and_then(|e| e.problem_for(field)).filter(|p| *p == Invalid::Empty)
    };

    let saved: Vec<Rule> = page.rules.iter().filter_map(rule_of).collect();
    let groups = groups_of(&page.groups);
    let before = StoredValue::new(RuleSet::new(&saved));
    let others: Vec<Rule> = saved.iter().filter(|r| r.id != id).cloned().collect();
    let others = StoredValue::new(others);
    let groups = StoredValue::new(groups);
    let labels = StoredValue::new(page.groups.clone());

    // The condition as typed: parsed on every keystroke, here, with no request.
    let parsed = Memo::new(move |_| {
        let text = condition.get();
        if text.trim().is_empty() {
            None
        } else {
            Some(parse(&text).map(|_| ()))
        }
    });
    // What is wrong with the outcome as typed (an empty one is for the server to say).
    let bad_outcome = Memo::new(move |_| {
        let typed = split_tags(&outcome.get());
        match RuleDraft::check_outcome(&typed) {
            Err(DraftError::OutcomeEmpty) => server_problem(Field::Outcome),
            Err(e) => Some(e.field_problem().problem),
            Ok(_) => None,
        }
    });
    let condition_empty =
        move || parsed.get().is_none().then(|| server_problem(Field::Condition)).flatten();
    let condition_invalid = move || {
        (matches!(parsed.get(), Some(Err(_))) || condition_empty().is_some()).then_some("true")
    };
    // The rules as they would be: the saved ones with this one added or replaced.
    let after = Memo::new(move |_| {
        let mut rules = others.get_value();
        if let Ok(r) = candidate(&condition.get(), &outcome.get()) {
            rules.push(r);
        }
        rules
    });
    let comparison = Memo::new(move |_| {
        let after = RuleSet::new(&after.get());
        before.with_value(|b| groups.with_value(|g| compare(b, &after, g, 0)))
    });

    view! {
        <section class="card rule-editor" id="editor" aria-labelledby="editor-heading">
            <h2 id="editor-heading">{i18n.t(heading)}</h2>
            <form method="post" action=SaveRule::PATH class="rule-form" novalidate=true>
                <FormAlert errors />
                <input type="hidden" name="id" value=id />
                <label for="rule-condition">{i18n.t(Msg::RuleCondition)}</label>
                <input
                    id="rule-condition"
                    name="condition"
                    type="text"
                    required
                    autocomplete="off"
                    spellcheck="false"
                    placeholder=i18n.t(Msg::RuleConditionHint)
                    aria-describedby="rule-condition-error"
                    aria-invalid=condition_invalid
                    value=condition_start
                    node_ref=condition_input
                    on:input=move |ev| condition.set(event_target_value(&ev))
                />
                <div id="rule-condition-error" class="condition-error" aria-live="polite">
                    {move || match parsed.get() {
                        Some(Err(e)) => {
                            let text = condition.get();
                            let line: String = text.lines().nth(e.line.saturating_sub(1)).unwrap_or("").to_owned();
                            let caret = format!("{}^", " ".repeat(e.column.saturating_sub(1)));
                            view! {
                                <p class="field-error">
                                    {i18n.t(Msg::RuleConditionError)} " (" {i18n.t(Msg::RuleColumn)} " "
                                    <span class="error-column">{e.column}</span> "): "
                                    {i18n.t(Msg::RuleExpected)} " " {rule_parse_words(i18n.language(), &e.expected)} ", "
                                    {i18n.t(Msg::RuleFound)} " " {rule_parse_words(i18n.language(), &e.found)}
                                </p>
                                <pre class="caret" aria-hidden="true">{line} "\n" {caret}</pre>
                            }
                            .into_any()
                        }
                        _ => condition_empty()
                            .map(|p| view! { <p class="field-error">{invalid_text(i18n.language(), Field::Condition, p)}</p> })
                            .into_any(),
                    }}
                </div>
                <label for="rule-outcome">
                    {i18n.t(Msg::RuleOutcome)} " " <span class="meta">"(" {i18n.t(Msg::RuleOutcomeHint)} ")"</span>
                </label>
                <input
                    id="rule-outcome"
                    name="outcome"
                    type="text"
                    required
                    autocomplete="off"
                    aria-describedby="rule-outcome-error"
                    aria-invalid=move || bad_outcome.get().is_some().then_some("true")
                    value=outcome_start
                    node_ref=outcome_input
                    on:input=move |ev| outcome.set(event_target_value(&ev))
                />
                <div id="rule-outcome-error" aria-live="polite">
                    {move || bad_outcome.get().map(|p| view! { <p class="field-error">{invalid_text(i18n.language(), Field::Outcome, p)}</p> })}
                </div>
                <label for="rule-description">{i18n.t(Msg::RuleDescription)}</label>
                <textarea id="rule-description" name="description" rows="2" maxlength="500">{textarea_text(description)}</textarea>
                <FieldError field=Field::Description errors />
                <button type="submit">{i18n.t(Msg::RuleSave)}</button>
            </form>
            <section class="preview" aria-labelledby="preview-heading" aria-live="polite">
                <h3 id="preview-heading">{i18n.t(Msg::PreviewHeading)}</h3>
                <p class="meta">{i18n.t(Msg::PreviewIntro)}</p>
                <p class="pair-counts">
                    {i18n.t(Msg::PreviewPairsBefore)} ": "
                    <strong class="pairs-before">{move || comparison.get().allowed_pairs_before}</strong>
                    " · " {i18n.t(Msg::PreviewPairsAfter)} ": "
                    <strong class="pairs-after">{move || comparison.get().allowed_pairs_after}</strong>
                    " (+" <span class="pairs-gained">{move || comparison.get().gained_pairs}</span> " "
                    {i18n.t(Msg::PreviewGained)} ", −"
                    <span class="pairs-lost">{move || comparison.get().lost_pairs}</span> " "
                    {i18n.t(Msg::PreviewLost)} ")"
                </p>
                {move || {
                    let rules = RuleSet::new(&after.get());
                    let shown: Vec<usize> = {
                        let mut order: Vec<usize> = (0..labels.with_value(|l| l.len())).collect();
                        labels.with_value(|l| order.sort_by_key(|i| std::cmp::Reverse(l[*i].size)));
                        order.truncate(MATRIX_GROUPS);
                        order
                    };
                    let reach = groups.with_value(|g| GroupReach::new(&rules, g));
                    let label = move |i: usize| {
                        labels.with_value(|l| {
                            let g = &l[i];
                            let tags = if g.tags.is_empty() { i18n.t(Msg::PreviewNoTags)().to_owned() } else { g.tags.join(", ") };
                            format!("{tags} ({})", g.size)
                        })
                    };
                    let total = labels.with_value(|l| l.len());
                    let partial = (total > shown.len()).then(|| {
                        let note = format!(
                            "{} {} / {total}",
                            i18n.t(Msg::PreviewMatrixPartial)(),
                            shown.len()
                        );
                        view! { <p class="meta matrix-partial">{note}</p> }
                    });
                    view! {
                        {partial}
                        <div class="matrix-scroll">
                            <table class="matrix">
                                <caption>{i18n.t(Msg::PreviewMatrixCaption)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{i18n.t(Msg::PreviewGroup)}</th>
                                        {shown.iter().map(|&j| view! { <th scope="col">{label(j)}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {shown
                                        .iter()
                                        .map(|&i| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{label(i)}</th>
                                                    {shown
                                                        .iter()
                                                        .map(|&j| {
                                                            // A group of one has nobody else to reach in itself.
                                                            let others = i != j
                                                                || labels.with_value(|l| l[i].size > 1);
                                                            let yes = others && reach.allows(i, j);
                                                            view! {
                                                                <td class=if yes { "yes" } else { "no" }>
                                                                    {if yes { "✓" } else { "·" }}
                                                                </td>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                }}
            </section>
        </section>
    }
    .into_any()
}
