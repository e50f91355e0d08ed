//! Plain HTML forms that work without JavaScript, GOV.UK style: each form posts to its own
//! page's URL; on a mistake the server renders the same page again (status 422) with the
//! values typed and an error summary linking to each field.

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Deserializer};

/// Where a form posts and how its page tells it apart from the page's other forms. Defined
/// once per form (on its typed struct, [`Form::SPEC`]) and used by the page, the server's
/// handler and route registry, and the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormSpec {
    /// The form's id, sent back in the hidden `form_id` field.
    pub id: &'static str,
    /// The route pattern it posts to, e.g. `/admin/members/{id}/approve`.
    pub action: &'static str,
}

impl FormSpec {
    /// The action with its `{…}` segments replaced by `params`, in order.
    pub fn action_with(&self, params: &[&str]) -> String {
        let mut params = params.iter();
        self.action
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') && segment.ends_with('}') {
                    params.next().copied().unwrap_or_default()
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The id of one instance of a form repeated on a page (`decline` → `decline-12`).
    pub fn instance(&self, key: impl std::fmt::Display) -> String {
        format!("{}-{key}", self.id)
    }

    /// True when `posted` (a submitted `form_id`) is this form or one of its instances.
    pub fn matches(&self, posted: &str) -> bool {
        posted == self.id
            || posted
                .strip_prefix(self.id)
                .is_some_and(|rest| rest.starts_with('-'))
    }
}

/// A form's typed fields. Field names are the struct's field names; unknown fields are
/// refused, so a page and its handler cannot drift apart unnoticed.
pub trait Form: serde::de::DeserializeOwned {
    /// Id and action.
    const SPEC: FormSpec;
    /// Where a problem that belongs to no one field is shown.
    const FIRST_FIELD: &'static str;
}

/// Reads a field that may be sent once or repeated (checkboxes) as a list.
pub fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(value) => vec![value],
        OneOrMany::Many(values) => values,
    })
}

/// A ticked checkbox (any value, normally `yes`) is true; a missing one false.
pub fn ticked<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(!one_or_many(deserializer)?.is_empty())
}

/// What was submitted and what is wrong with it, provided by the server when it re-renders a
/// form after a failed submission.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormState {
    /// Which form on the page was submitted (its `form_id`).
    pub form_id: String,
    /// Submitted values by field name (passwords are never echoed back).
    pub values: HashMap<String, Vec<String>>,
    /// Problems: (field name, message), in the order the fields appear.
    pub errors: Vec<(String, String)>,
    /// Sanitised HTML of a Markdown field, when the form asked for a preview.
    pub preview: Option<String>,
}

impl FormState {
    /// The first value submitted for `field`.
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values
            .get(field)
            .and_then(|values| values.first())
            .map(String::as_str)
    }

    /// True if `value` was among those submitted for `field` (checkboxes).
    pub fn has_value(&self, field: &str, value: &str) -> bool {
        self.values
            .get(field)
            .is_some_and(|values| values.iter().any(|submitted| submitted == value))
    }

    /// What `field` should show: the value submitted, or `initial` when this form was not
    /// just submitted (a page showing saved values).
    pub fn value_or(&self, field: &str, initial: &str) -> String {
        if self.form_id.is_empty() {
            initial.to_owned()
        } else {
            self.value(field).unwrap_or_default().to_owned()
        }
    }

    /// The message for `field`, if it has a problem.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.clone())
    }
}

/// The state of the form `form_id` on this page, if it was just submitted with problems.
pub fn form_state(form_id: &str) -> FormState {
    use_context::<FormState>()
        .filter(|state| state.form_id == form_id)
        .unwrap_or_default()
}

/// The hidden field carrying the CSRF token, and the form's id.
#[component]
pub fn FormFields(
    /// Identifies the form when a page has several.
    #[prop(into)]
    form_id: String,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let token = crate::context::csrf_token();
    #[cfg(not(feature = "ssr"))]
    let token = String::new();
    view! {
        <input type="hidden" name="csrf_token" value=token />
        <input type="hidden" name="form_id" value=form_id />
    }
}

/// "There is a problem" box listing every error as a link to its field.
#[component]
pub fn ErrorSummary(
    /// The form's state.
    state: FormState,
    /// Appended to each field's id, where a page repeats a form (`-12` → `#field-reason-12`).
    #[prop(optional, into)]
    id_suffix: String,
) -> impl IntoView {
    (!state.errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" data-error-summary="true">
                <h2 class="error-summary__title">"There is a problem"</h2>
                <ul class="error-summary__list">
                    {state
                        .errors
                        .iter()
                        .map(|(field, message)| {
                            view! { <li><a href=format!("#field-{field}{id_suffix}")>{message.clone()}</a></li> }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled text input with hint and error message.
#[component]
pub fn TextInput(
    /// Field name (also its id: `field-<name>`).
    name: &'static str,
    /// Visible label.
    label: &'static str,
    /// The form's state for values and errors.
    state: FormState,
    /// `text`, `email`, `password` …
    #[prop(default = "text")]
    input_type: &'static str,
    /// `autocomplete` token.
    #[prop(optional)]
    autocomplete: &'static str,
    /// Hint shown under the label.
    #[prop(optional)]
    hint: &'static str,
    /// The saved value, shown until the form is submitted.
    #[prop(optional, into)]
    initial: String,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error = state.error(name);
    let value = if input_type == "password" {
        String::new()
    } else {
        state.value_or(name, &initial)
    };
    let described = describedby(name, !hint.is_empty(), error.is_some());
    view! {
        <FieldGroup name label hint error=error.clone()>
            <input
                class=if error.is_some() { "input input--error" } else { "input" }
                id=id
                name=name
                type=input_type
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-describedby=described
                aria-invalid=error.is_some().then_some("true")
            />
        </FieldGroup>
    }
}

/// A labelled text area with hint and error message.
#[component]
pub fn TextArea(
    /// Field name (also its id: `field-<name>`).
    name: &'static str,
    /// Visible label.
    label: &'static str,
    /// The form's state for values and errors.
    state: FormState,
    /// Visible lines.
    #[prop(default = 5)]
    rows: u32,
    /// Hint shown under the label.
    #[prop(optional)]
    hint: &'static str,
    /// The saved value, shown until the form is submitted.
    #[prop(optional, into)]
    initial: String,
) -> impl IntoView {
    let error = state.error(name);
    let value = state.value_or(name, &initial);
    let described = describedby(name, !hint.is_empty(), error.is_some());
    view! {
        <FieldGroup name label hint error=error.clone()>
            <textarea
                class=if error.is_some() { "textarea input--error" } else { "textarea" }
                id=format!("field-{name}")
                name=name
                rows=rows
                aria-describedby=described
                aria-invalid=error.is_some().then_some("true")
            >
                {value}
            </textarea>
        </FieldGroup>
    }
}

/// A labelled select with a "choose" placeholder.
#[component]
pub fn SelectInput(
    /// Field name.
    name: &'static str,
    /// Visible label.
    label: &'static str,
    /// (value, label) options.
    options: Vec<(String, String)>,
    /// The form's state.
    state: FormState,
    /// Hint.
    #[prop(optional)]
    hint: &'static str,
    /// The saved value, selected until the form is submitted.
    #[prop(optional, into)]
    initial: String,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error = state.error(name);
    let selected = state.value_or(name, &initial);
    let described = describedby(name, !hint.is_empty(), error.is_some());
    view! {
        <FieldGroup name label hint error=error.clone()>
            <select class="select" id=id name=name aria-describedby=described>
                <option value="">"Choose…"</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </FieldGroup>
    }
}

/// A single checkbox (value `yes`) with its label, hint and error message.
#[component]
pub fn CheckboxInput(
    /// Field name (also its id: `field-<name>`).
    name: &'static str,
    /// Visible label.
    label: &'static str,
    /// The form's state.
    state: FormState,
    /// Ticked until the form is submitted.
    #[prop(optional)]
    initial: bool,
    /// Hint shown under the label.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let error = state.error(name);
    let checked = if state.form_id.is_empty() {
        initial
    } else {
        state.has_value(name, "yes")
    };
    let class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    view! {
        <div class=class>
            {error.map(|message| view! {
                <p class="error-message" id=format!("{name}-error")>
                    <span class="visually-hidden">"Error: "</span>{message}
                </p>
            })}
            <div class="checkboxes__item">
                <input
                    class="checkboxes__input"
                    type="checkbox"
                    id=format!("field-{name}")
                    name=name
                    value="yes"
                    checked=checked
                    aria-describedby=describedby(name, !hint.is_empty(), state.error(name).is_some())
                />
                <label class="checkboxes__label" for=format!("field-{name}")>{label}</label>
                {(!hint.is_empty()).then(|| view! { <div class="hint checkboxes__hint" id=format!("{name}-hint")>{hint}</div> })}
            </div>
        </div>
    }
}

/// A group of radio buttons in a fieldset whose legend asks the question. The first radio's
/// id is `field-<name>`, so an error summary link lands on it.
#[component]
pub fn RadioGroup(
    /// Field name.
    name: &'static str,
    /// The question, as the fieldset's legend.
    legend: &'static str,
    /// (value, label) choices.
    options: Vec<(&'static str, &'static str)>,
    /// The form's state.
    state: FormState,
    /// The saved value, chosen until the form is submitted.
    #[prop(optional, into)]
    initial: String,
) -> impl IntoView {
    let error = state.error(name);
    let described = error.is_some().then(|| format!("{name}-error"));
    let chosen = state.value_or(name, &initial);
    let class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    view! {
        <div class=class>
            <fieldset class="fieldset" aria-describedby=described>
                <legend class="fieldset__legend fieldset__legend--s">{legend}</legend>
                {error.map(|message| view! {
                    <p class="error-message" id=format!("{name}-error")>
                        <span class="visually-hidden">"Error: "</span>{message}
                    </p>
                })}
                <div class="radios">
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(index, (value, label))| {
                            let id = if index == 0 {
                                format!("field-{name}")
                            } else {
                                format!("field-{name}-{value}")
                            };
                            view! {
                                <div class="radios__item">
                                    <input class="radios__input" type="radio" id=id.clone() name=name value=value checked=value == chosen />
                                    <label class="radios__label" for=id>{label}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// The label, hint and error message around one control (GOV.UK form group).
#[component]
fn FieldGroup(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    error: Option<String>,
    children: Children,
) -> impl IntoView {
    let class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    view! {
        <div class=class>
            <label class="label" for=format!("field-{name}")>{label}</label>
            {(!hint.is_empty()).then(|| view! { <div class="hint" id=format!("{name}-hint")>{hint}</div> })}
            {error.map(|message| view! {
                <p class="error-message" id=format!("{name}-error")>
                    <span class="visually-hidden">"Error: "</span>{message}
                </p>
            })}
            {children()}
        </div>
    }
}

fn describedby(name: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{name}-hint"));
    }
    if error {
        ids.push(format!("{name}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Checkboxes choosing groups, submitted as the repeated field `name`; `key` tells apart
/// the copies of a form repeated on one page.
#[component]
pub fn GroupChoice(
    /// Field name.
    name: &'static str,
    /// The question, as the fieldset's legend.
    legend: &'static str,
    /// Hint under the legend.
    hint: &'static str,
    /// Appended to ids where the form repeats on a page (empty otherwise).
    key: String,
    /// Every group: (slug, name).
    groups: Vec<(String, String)>,
    /// The saved choice, ticked until the form is submitted.
    chosen: Vec<String>,
    /// The form's state.
    state: FormState,
) -> impl IntoView {
    let error = state.error(name);
    let group_class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    let fieldset_id = format!("field-{name}{key}");
    view! {
        <div class=group_class>
            <fieldset class="fieldset" id=fieldset_id>
                <legend class="fieldset__legend">{legend}</legend>
                <div class="hint">{hint}</div>
                {error.map(|message| view! { <p class="error-message"><span class="visually-hidden">"Error: "</span>{message}</p> })}
                <div class="checkboxes">
                    {groups.into_iter().map(|(slug, label)| {
                        let id = format!("{name}{key}-{slug}");
                        let checked = if state.form_id.is_empty() { chosen.contains(&slug) } else { state.has_value(name, &slug) };
                        view! {
                            <div class="checkboxes__item">
                                <input class="checkboxes__input" type="checkbox" id=id.clone() name=name value=slug checked=checked />
                                <label class="checkboxes__label" for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// A green "success" banner shown after a redirect (`?done=…`).
#[component]
pub fn SuccessBanner(message: String) -> impl IntoView {
    view! {
        <div class="notification-banner notification-banner--success" role="region" aria-labelledby="success-title">
            <div class="notification-banner__header">
                <h2 class="notification-banner__title" id="success-title">"Success"</h2>
            </div>
            <div class="notification-banner__content">
                <p class="notification-banner__heading">{message}</p>
            </div>
        </div>
    }
}

/// Declares a typed form: its struct (fields default to empty, unknown fields refused) and
/// its [`Form`] implementation.
macro_rules! typed_form {
    (
        $(#[$meta:meta])*
        $name:ident { id: $id:literal, action: $action:literal, first: $first:literal }
        { $($(#[$field_meta:meta])* $field:ident : $ty:ty),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl $crate::forms::Form for $name {
            const SPEC: $crate::forms::FormSpec = $crate::forms::FormSpec {
                id: $id,
                action: $action,
            };
            const FIRST_FIELD: &'static str = $first;
        }
    };
}
pub(crate) use typed_form;
