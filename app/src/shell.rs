//! The HTML document around every page, and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::accounts::{
    AccountPage, CheckEmailPage, CloseAccountPage, ProfilePage, RegisterPage, RegisterSsoPage,
    ResetPasswordPage, ResetRequestPage, ResetSentPage, SignInPage, VerifyEmailPage,
};
use crate::admin::{AdminAllowListPage, AdminAuditPage, AdminMembersPage};
use crate::cpd::{
    CpdPage, CpdProfilePage, CyclePage, DeleteEntryPage, DeleteFeedbackPage, DeletePracticePage,
    DeleteReflectionPage, DiscussionPage, EditCpdProfilePage, EditEntryPage, EditFeedbackPage,
    EditPracticePage, EditReflectionPage, EntryPage, NewEntryPage, NewFeedbackPage,
    NewPracticePage, NewReflectionPage, PortfolioPage, RevalidationPage,
};
use crate::forums::{
    EditPostPage, ForumPage, ForumSettingsPage, ForumsPage, ModerationPage, NewTopicPage,
    NotificationsPage, PostHistoryPage, ReportPostPage, SplitTopicPage, TopicPage, UnsubscribePage,
};
use crate::layout::{NotFound, SiteFooter, SiteHeader};
use crate::learning::{
    AttemptPage, CertificatePage, CheckPage, LearningPage, LessonEditPage, LessonPage,
    ModuleEditPage, ModulePage, ModuleReviewPage, NewModulePage,
};
use crate::library::editor::{EditDocumentPage, EditorsDeskPage, NewDocumentPage};
use crate::library::{CompareRoute, DocumentRoute, GoodPracticePage, LibraryPage, TomPage};
use crate::pages::{ContentPageRoute, HomePage};
use crate::search::SearchPage;
use crate::sections::{Section, SectionPage};

/// File names of the hashed static assets, provided by the server from the build's manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetNames {
    /// The stylesheet's path under `/pkg/`, e.g. `ohnet.3f9a….css`.
    pub stylesheet: String,
}

/// The whole document: `<head>` with hashed assets and the CSP nonce, then the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        leptos::nonce::provide_nonce();
        send_security_policy(leptos::nonce::use_nonce().as_deref());
    }
    let stylesheet = use_context::<AssetNames>()
        .map(|assets| format!("/pkg/{}", assets.stylesheet))
        .unwrap_or_default();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="stylesheet" href=stylesheet />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Sends a strict Content-Security-Policy: only our own files and the one nonce'd inline
/// hydration script run; wasm may be compiled; nothing may frame the site.
#[cfg(feature = "ssr")]
fn send_security_policy(nonce: Option<&str>) {
    let script_nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self'{script_nonce} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&policy),
    ) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The site: header, the routed page, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|title: String| {
            if title.is_empty() { "ohnet".to_owned() } else { format!("{title} – ohnet") }
        } />
        <Router>
            <a href="#main-content" class="skip-link">"Skip to main content"</a>
            <SiteHeader />
            <div class="width-container">
                <main id="main-content" class="main" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/register/check-email") view=CheckEmailPage />
                        <Route path=path!("/register/sso") view=RegisterSsoPage ssr=SsrMode::Async />
                        <Route path=path!("/verify-email") view=VerifyEmailPage />
                        <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                        <Route path=path!("/reset-password") view=ResetRequestPage />
                        <Route path=path!("/reset-password/sent") view=ResetSentPage />
                        <Route path=path!("/reset-password/new") view=ResetPasswordPage />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/account/profile") view=ProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/account/close") view=CloseAccountPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/members") view=AdminMembersPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/allow-list") view=AdminAllowListPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/forums") view=ForumSettingsPage ssr=SsrMode::Async />
                        <Route path=path!("/learning") view=LearningPage ssr=SsrMode::Async />
                        <Route path=path!("/learning/new") view=NewModulePage ssr=SsrMode::Async />
                        <Route path=path!("/learning/:module") view=ModulePage ssr=SsrMode::Async />
                        <Route path=path!("/learning/:module/check") view=CheckPage ssr=SsrMode::Async />
                        <Route path=path!("/learning/:module/edit") view=ModuleEditPage ssr=SsrMode::Async />
                        <Route path=path!("/learning/:module/review") view=ModuleReviewPage ssr=SsrMode::Async />
                        <Route path=path!("/learning/:module/:lesson/edit") view=LessonEditPage ssr=SsrMode::Async />
                        <Route path=path!("/learning/:module/check/:attempt") view=AttemptPage ssr=SsrMode::Async />
                        <Route path=path!("/learning/:module/:lesson") view=LessonPage ssr=SsrMode::Async />
                        <Route path=path!("/certificates/:code") view=CertificatePage ssr=SsrMode::Async />
                        <Route path=path!("/cpd") view=CpdPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/new") view=NewEntryPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/cycle") view=CyclePage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/portfolio") view=PortfolioPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/revalidation") view=RevalidationPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/revalidation/discussion") view=DiscussionPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/profile") view=CpdProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/profile/edit") view=EditCpdProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/practice/new") view=NewPracticePage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/practice/:id/edit") view=EditPracticePage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/practice/:id/delete") view=DeletePracticePage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/feedback/new") view=NewFeedbackPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/feedback/:id/edit") view=EditFeedbackPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/feedback/:id/delete") view=DeleteFeedbackPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/reflections/new") view=NewReflectionPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/reflections/:id/edit") view=EditReflectionPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/reflections/:id/delete") view=DeleteReflectionPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/:id") view=EntryPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/:id/edit") view=EditEntryPage ssr=SsrMode::Async />
                        <Route path=path!("/cpd/:id/delete") view=DeleteEntryPage ssr=SsrMode::Async />
                        <Route path=path!("/forums") view=ForumsPage ssr=SsrMode::Async />
                        <Route path=path!("/forums/moderation") view=ModerationPage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("/forums/posts/:post/history") view=PostHistoryPage ssr=SsrMode::Async />
                        <Route path=path!("/forums/posts/:post/split") view=SplitTopicPage ssr=SsrMode::Async />
                        <Route path=path!("/unsubscribe") view=UnsubscribePage ssr=SsrMode::Async />
                        <Route path=path!("/forums/posts/:post/edit") view=EditPostPage ssr=SsrMode::Async />
                        <Route path=path!("/forums/posts/:post/report") view=ReportPostPage ssr=SsrMode::Async />
                        <Route path=path!("/forums/:forum/new") view=NewTopicPage ssr=SsrMode::Async />
                        <Route path=path!("/forums/:forum") view=ForumPage ssr=SsrMode::Async />
                        <Route path=path!("/forums/:forum/:topic") view=TopicPage ssr=SsrMode::Async />
                        <Route path=path!("/library") view=LibraryPage ssr=SsrMode::Async />
                        <Route path=path!("/library/new") view=NewDocumentPage ssr=SsrMode::Async />
                        <Route path=path!("/library/drafts") view=EditorsDeskPage ssr=SsrMode::Async />
                        <Route path=path!("/library/:slug") view=DocumentRoute ssr=SsrMode::Async />
                        <Route path=path!("/library/:slug/edit") view=EditDocumentPage ssr=SsrMode::Async />
                        <Route path=path!("/library/:slug/compare") view=CompareRoute ssr=SsrMode::Async />
                        <Route path=path!("/good-practice") view=GoodPracticePage ssr=SsrMode::Async />
                        <Route path=path!("/tom") view=TomPage ssr=SsrMode::Async />
                        <Route path=path!("/events") view=|| view! { <SectionPage section=Section::Events /> } />
                        <Route path=path!("/newsletters") view=|| view! { <SectionPage section=Section::Newsletters /> } />
                        <Route path=path!("/standards") view=|| view! { <SectionPage section=Section::Standards /> } />
                        <Route path=path!("/:slug") view=ContentPageRoute ssr=SsrMode::Async />
                    </Routes>
                </main>
            </div>
            <SiteFooter />
        </Router>
    }
}
