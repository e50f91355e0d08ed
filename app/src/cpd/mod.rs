//! The member's CPD record: what they have done, including what eLearning recorded for them.

pub mod api;
pub mod dto;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::forms::SuccessBanner;
use crate::layout::{Breadcrumbs, ErrorPage};

/// `/cpd`: the member's CPD record (entries from completed modules so far).
#[component]
pub fn CpdPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| api::cpd_entries());
    let banner = use_query_map()
        .read_untracked()
        .get("done")
        .filter(|done| done == "recorded");
    view! {
        <Title text="Your CPD record" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="CPD" />
        {banner.map(|_| view! { <SuccessBanner message="Recorded.".to_owned() /> })}
        <h1>"Your CPD record"</h1>
        <p class="lead">"Continuing professional development you have done. Passing an eLearning module adds it here as self-directed, individual learning."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(rows) if rows.is_empty() => view! {
                        <p>"Nothing recorded yet. "<a href="/learning">"Browse the eLearning modules"</a>"."</p>
                    }.into_any(),
                    Ok(rows) => view! {
                        <table class="table">
                            <caption class="visually-hidden">"Your CPD entries, most recent first"</caption>
                            <thead><tr><th scope="col">"Date"</th><th scope="col">"Activity"</th><th scope="col">"Type"</th><th scope="col">"Learning"</th><th scope="col">"Time"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr><td>{row.date}</td><td>{row.title}{row.automatic.then_some(" (recorded automatically)")}</td><td>{row.kind}</td><td>{row.participation}</td><td>{row.hours}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
