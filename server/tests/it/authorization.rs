//! The authorization matrix and the canary sweep, both driven by the route registry. Every
//! route — page, server function, form, download, health, redirect — must have a sample
//! request here; its expected status for each kind of visitor is computed from the route's
//! access rule, and no response to an outsider may contain the canary token that stands in
//! every private item.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use domain::access::Access;
use sea_orm::{ConnectionTrait, Statement};
use server::web::routes::{RouteKind, RouteRule, rules};

use crate::support::{
    CANARY, CANARY_DOCUMENT, CANARY_DRAFT, CANARY_PAGE, LESSON, MODULE, OPEN_DOCUMENT, Visitor,
    World, request_as, world,
};

/// How a route is exercised: a request path (and form body) and the status a visitor the
/// rule admits gets, with exceptions by visitor.
struct Sample {
    path: String,
    form: &'static str,
    ok: u16,
    ok_for: &'static [(&'static str, u16)],
}

fn sample(path: impl Into<String>, form: &'static str, ok: u16) -> Sample {
    Sample {
        path: path.into(),
        form,
        ok,
        ok_for: &[],
    }
}

/// One sample per registered route, keyed by (method, route pattern).
fn samples(world: &World) -> BTreeMap<(&'static str, &'static str), Sample> {
    let (decline, approve) = world.applicants;
    let (topic, post) = world.general_topic;
    let member_only: &'static [(&'static str, u16)] = &[("member", 200)];
    let moderators = |status| -> &'static [(&'static str, u16)] {
        match status {
            200 => &[("moderator", 200), ("administrator", 200)],
            _ => &[("moderator", 303), ("administrator", 303)],
        }
    };
    let report = world.report;
    fn get(path: impl Into<String>) -> Sample {
        sample(path, "", 200)
    }
    fn missing(path: impl Into<String>) -> Sample {
        sample(path, "", 404)
    }
    let module = |rest: &str| format!("/learning/{MODULE}{rest}");
    let cpd = |rest: &str| format!("/cpd/{}{rest}", world.cpd_entry);
    let (practice, feedback, reflection) = world.cpd_records;
    let owner_only: &'static [(&'static str, u16)] = &[("cmo member", 200)];
    let owner = |path: String, status: u16| Sample {
        path,
        form: "",
        ok: 404,
        ok_for: match status {
            200 => owner_only,
            _ => &[("cmo member", 422)],
        },
    };
    BTreeMap::from([
        // The CPD portfolio: every member has their own; an entry is its owner's alone.
        (("GET", "/cpd"), get("/cpd")),
        (("GET", "/cpd/new"), get("/cpd/new")),
        (("GET", "/cpd/cycle"), get("/cpd/cycle")),
        (("GET", "/cpd/{id}"), owner(cpd(""), 200)),
        (("GET", "/cpd/{id}/edit"), owner(cpd("/edit"), 200)),
        (("GET", "/cpd/{id}/delete"), owner(cpd("/delete"), 200)),
        (("GET", "/api/cpd/log"), get("/api/cpd/log?sort=oldest")),
        (("GET", "/api/cpd/kinds"), get("/api/cpd/kinds")),
        (
            ("GET", "/api/cpd/entry"),
            owner(format!("/api/cpd/entry?id={}", world.cpd_entry), 200),
        ),
        (("GET", "/api/cpd/progress"), get("/api/cpd/progress")),
        (("GET", "/cpd/portfolio"), get("/cpd/portfolio")),
        (
            ("GET", "/api/cpd/portfolio"),
            get("/api/cpd/portfolio?from=2020-01-01"),
        ),
        (("GET", "/cpd/export/{file}"), get("/cpd/export/log.csv")),
        (("GET", "/cpd/revalidation"), get("/cpd/revalidation")),
        (
            ("GET", "/cpd/revalidation/discussion"),
            get("/cpd/revalidation/discussion"),
        ),
        (("GET", "/cpd/profile"), get("/cpd/profile")),
        (("GET", "/cpd/profile/edit"), get("/cpd/profile/edit")),
        (("GET", "/cpd/practice/new"), get("/cpd/practice/new")),
        (("GET", "/cpd/feedback/new"), get("/cpd/feedback/new")),
        (("GET", "/cpd/reflections/new"), get("/cpd/reflections/new")),
        (
            ("GET", "/cpd/practice/{id}/edit"),
            owner(format!("/cpd/practice/{practice}/edit"), 200),
        ),
        (
            ("GET", "/cpd/practice/{id}/delete"),
            owner(format!("/cpd/practice/{practice}/delete"), 200),
        ),
        (
            ("GET", "/cpd/feedback/{id}/edit"),
            owner(format!("/cpd/feedback/{feedback}/edit"), 200),
        ),
        (
            ("GET", "/cpd/feedback/{id}/delete"),
            owner(format!("/cpd/feedback/{feedback}/delete"), 200),
        ),
        (
            ("GET", "/cpd/reflections/{id}/edit"),
            owner(format!("/cpd/reflections/{reflection}/edit"), 200),
        ),
        (
            ("GET", "/cpd/reflections/{id}/delete"),
            owner(format!("/cpd/reflections/{reflection}/delete"), 200),
        ),
        (
            ("GET", "/api/cpd/revalidation"),
            get("/api/cpd/revalidation"),
        ),
        (("GET", "/api/cpd/choices"), get("/api/cpd/choices")),
        (
            ("GET", "/api/cpd/practice"),
            owner(format!("/api/cpd/practice?id={practice}"), 200),
        ),
        (
            ("GET", "/api/cpd/feedback"),
            owner(format!("/api/cpd/feedback?id={feedback}"), 200),
        ),
        (
            ("GET", "/api/cpd/reflection"),
            owner(format!("/api/cpd/reflection?id={reflection}"), 200),
        ),
        (("GET", "/api/cpd/discussion"), get("/api/cpd/discussion")),
        (("GET", "/api/cpd/profile"), get("/api/cpd/profile")),
        (
            ("POST", "/cpd/practice/new"),
            sample("/cpd/practice/new", "hours=0", 422),
        ),
        (
            ("POST", "/cpd/practice/{id}/edit"),
            Sample {
                form: "hours=0",
                ..owner(format!("/cpd/practice/{practice}/edit"), 422)
            },
        ),
        (
            ("POST", "/cpd/practice/{id}/delete"),
            sample("/cpd/practice/999999/delete", "", 404),
        ),
        (
            ("POST", "/cpd/feedback/new"),
            sample("/cpd/feedback/new", "source=nobody", 422),
        ),
        (
            ("POST", "/cpd/feedback/{id}/edit"),
            Sample {
                form: "source=nobody",
                ..owner(format!("/cpd/feedback/{feedback}/edit"), 422)
            },
        ),
        (
            ("POST", "/cpd/feedback/{id}/delete"),
            sample("/cpd/feedback/999999/delete", "", 404),
        ),
        (
            ("POST", "/cpd/reflections/new"),
            sample("/cpd/reflections/new", "code_themes=none", 422),
        ),
        (
            ("POST", "/cpd/reflections/{id}/edit"),
            Sample {
                form: "code_themes=none",
                ..owner(format!("/cpd/reflections/{reflection}/edit"), 422)
            },
        ),
        (
            ("POST", "/cpd/reflections/{id}/delete"),
            sample("/cpd/reflections/999999/delete", "", 404),
        ),
        (
            ("POST", "/cpd/revalidation/discussion"),
            sample("/cpd/revalidation/discussion", "partner_pin=12345", 422),
        ),
        (
            ("POST", "/cpd/profile/edit"),
            sample("/cpd/profile/edit", "practice_summary=", 303),
        ),
        (
            ("GET", "/cpd/{id}/evidence/{file}"),
            Sample {
                path: cpd("/evidence/supervision.pdf"),
                form: "",
                ok: 404,
                ok_for: &[("cmo member", 200), ("administrator", 200)],
            },
        ),
        (("POST", "/cpd/new"), sample("/cpd/new", "title=", 422)),
        (
            ("POST", "/cpd/{id}/edit"),
            Sample {
                form: "title=",
                ..owner(cpd("/edit"), 422)
            },
        ),
        (
            ("POST", "/cpd/{id}/delete"),
            sample("/cpd/999999/delete", "", 404),
        ),
        (("POST", "/cpd/{id}/evidence"), owner(cpd("/evidence"), 422)),
        (
            ("POST", "/cpd/{id}/evidence/{file}/remove"),
            sample(cpd("/evidence/missing.pdf/remove"), "", 404),
        ),
        (
            ("POST", "/cpd/cycle"),
            sample("/cpd/cycle", "regulator=fca", 422),
        ),
        // Pages.
        (("GET", "/"), get("/")),
        (("GET", "/search"), get("/search?q=network")),
        (("GET", "/register"), get("/register")),
        (
            ("GET", "/register/check-email"),
            get("/register/check-email"),
        ),
        (("GET", "/register/sso"), missing("/register/sso")),
        (("GET", "/verify-email"), get("/verify-email?token=x")),
        (("GET", "/sign-in"), get("/sign-in")),
        (("GET", "/reset-password"), get("/reset-password")),
        (("GET", "/reset-password/sent"), get("/reset-password/sent")),
        (
            ("GET", "/reset-password/new"),
            get("/reset-password/new?token=x"),
        ),
        (("GET", "/account"), get("/account")),
        (("GET", "/account/profile"), get("/account/profile")),
        (("GET", "/account/close"), get("/account/close")),
        (("GET", "/admin/allow-list"), get("/admin/allow-list")),
        (("GET", "/admin/members"), get("/admin/members")),
        (("GET", "/admin/audit"), get("/admin/audit")),
        (("GET", "/learning"), get("/learning")),
        (("GET", "/learning/{module}"), get(module(""))),
        (("GET", "/learning/new"), get("/learning/new")),
        (("GET", "/learning/{module}/check"), get(module("/check"))),
        (
            ("GET", "/learning/{module}/check/{attempt}"),
            missing(module("/check/999")),
        ),
        (("GET", "/learning/{module}/edit"), get(module("/edit"))),
        (("GET", "/learning/{module}/review"), get(module("/review"))),
        (
            ("GET", "/learning/{module}/{lesson}"),
            get(module(&format!("/{LESSON}"))),
        ),
        (
            ("GET", "/learning/{module}/{lesson}/edit"),
            get(module(&format!("/{LESSON}/edit"))),
        ),
        (
            ("GET", "/certificates/{code}"),
            missing("/certificates/NOPE-NOPE-NOPE"),
        ),
        (("GET", "/library"), get("/library")),
        (
            ("GET", "/library/{slug}"),
            get(format!("/library/{OPEN_DOCUMENT}")),
        ),
        (
            ("GET", "/library/{slug}/compare"),
            get(format!("/library/{OPEN_DOCUMENT}/compare?from=1&to=1")),
        ),
        (("GET", "/good-practice"), get("/good-practice")),
        (("GET", "/tom"), get("/tom")),
        (
            ("GET", "/api/library/list"),
            get("/api/library/list?sort=title"),
        ),
        (
            ("GET", "/api/library/document"),
            get(format!("/api/library/document?slug={OPEN_DOCUMENT}")),
        ),
        (
            ("GET", "/api/library/compare"),
            get(format!(
                "/api/library/compare?slug={OPEN_DOCUMENT}&from=1&to=1"
            )),
        ),
        (("GET", "/library/new"), get("/library/new")),
        (("GET", "/library/drafts"), get("/library/drafts")),
        (
            ("GET", "/library/{slug}/edit"),
            get(format!("/library/{OPEN_DOCUMENT}/edit")),
        ),
        (
            ("GET", "/api/library/editor"),
            get(format!("/api/library/editor?slug={OPEN_DOCUMENT}")),
        ),
        (("GET", "/api/library/desk"), get("/api/library/desk")),
        (
            ("POST", "/library/new"),
            sample("/library/new", "intent=publish&slug=Not+A+Slug", 422),
        ),
        (
            ("POST", "/library/{slug}/edit"),
            sample(
                format!("/library/{OPEN_DOCUMENT}/edit"),
                "intent=publish&title=",
                422,
            ),
        ),
        (
            ("POST", "/library/{slug}/discard"),
            sample(format!("/library/{OPEN_DOCUMENT}/discard"), "", 404),
        ),
        (
            ("POST", "/library/{slug}/attachments"),
            sample(format!("/library/{OPEN_DOCUMENT}/attachments"), "", 422),
        ),
        (
            ("POST", "/library/{slug}/attachments/{file}/remove"),
            sample(
                format!("/library/{OPEN_DOCUMENT}/attachments/missing.pdf/remove"),
                "",
                404,
            ),
        ),
        (
            ("GET", "/library/{slug}/files/{file}"),
            get(format!("/library/{OPEN_DOCUMENT}/files/open-form.pdf")),
        ),
        (
            ("POST", "/library/{slug}/withdraw"),
            sample("/library/no-such-document/withdraw", "", 404),
        ),
        (
            ("POST", "/library/{slug}/republish"),
            sample("/library/no-such-document/republish", "", 404),
        ),
        (
            ("GET", "/api/library/curated"),
            get("/api/library/curated?which=good-practice"),
        ),
        (("GET", "/events"), get("/events")),
        (("GET", "/newsletters"), get("/newsletters")),
        (("GET", "/standards"), get("/standards")),
        (("GET", "/{slug}"), get("/about")),
        // Server functions.
        (("GET", "/api/pages/get"), get("/api/pages/get?slug=about")),
        (
            ("GET", "/api/search/suggest"),
            get("/api/search/suggest?query=ab"),
        ),
        (
            ("GET", "/api/search/site"),
            get("/api/search/site?query=ab"),
        ),
        (
            ("GET", "/api/accounts/registration-options"),
            get("/api/accounts/registration-options"),
        ),
        (
            ("GET", "/api/accounts/current"),
            get("/api/accounts/current"),
        ),
        (
            ("GET", "/api/accounts/sessions"),
            get("/api/accounts/sessions"),
        ),
        (
            ("GET", "/api/accounts/profile"),
            get("/api/accounts/profile"),
        ),
        (
            ("GET", "/api/accounts/sso-available"),
            get("/api/accounts/sso-available"),
        ),
        (
            ("GET", "/api/accounts/sso-applicant"),
            missing("/api/accounts/sso-applicant"),
        ),
        (
            ("GET", "/api/admin/members"),
            get("/api/admin/members?status=pending"),
        ),
        (("GET", "/api/admin/audit"), get("/api/admin/audit?page=0")),
        (
            ("GET", "/api/admin/allow-list"),
            get("/api/admin/allow-list"),
        ),
        (
            ("GET", "/api/learning/catalogue"),
            get("/api/learning/catalogue?topic=night-work"),
        ),
        (
            ("GET", "/api/learning/module"),
            get(format!("/api/learning/module?slug={MODULE}")),
        ),
        (
            ("GET", "/api/learning/lesson"),
            get(format!(
                "/api/learning/lesson?module={MODULE}&lesson={LESSON}"
            )),
        ),
        (
            ("GET", "/api/learning/check"),
            get(format!("/api/learning/check?module={MODULE}")),
        ),
        (
            ("GET", "/api/learning/attempt"),
            missing(format!("/api/learning/attempt?module={MODULE}&id=999")),
        ),
        (
            ("GET", "/api/learning/certificate"),
            missing("/api/learning/certificate?code=NOPE-NOPE-NOPE"),
        ),
        (
            ("GET", "/api/learning/manifest"),
            get(format!("/api/learning/manifest?module={MODULE}")),
        ),
        (
            ("GET", "/api/learning/may-edit"),
            get("/api/learning/may-edit"),
        ),
        (
            ("GET", "/api/learning/review-form"),
            get(format!("/api/learning/review-form?module={MODULE}")),
        ),
        (
            ("GET", "/api/learning/lesson-draft"),
            get(format!(
                "/api/learning/lesson-draft?module={MODULE}&lesson={LESSON}"
            )),
        ),
        // Forums: the `member` visitor wrote the sample topic and post; others may read them.
        (("GET", "/forums"), get("/forums")),
        (("GET", "/forums/{forum}"), get("/forums/general")),
        (("GET", "/forums/{forum}/new"), get("/forums/general/new")),
        (
            ("GET", "/forums/{forum}/{topic}"),
            get(format!("/forums/general/{topic}")),
        ),
        (
            ("GET", "/forums/posts/{post}/edit"),
            Sample {
                ok_for: member_only,
                ..sample(format!("/forums/posts/{post}/edit"), "", 403)
            },
        ),
        (
            ("GET", "/forums/posts/{post}"),
            sample(format!("/forums/posts/{post}"), "", 303),
        ),
        (("GET", "/api/forums/list"), get("/api/forums/list")),
        (
            ("GET", "/api/forums/locate"),
            get(format!("/api/forums/locate?post={post}")),
        ),
        (
            ("GET", "/api/forums/forum"),
            get("/api/forums/forum?slug=general"),
        ),
        (
            ("GET", "/api/forums/topic"),
            get(format!("/api/forums/topic?forum=general&topic={topic}")),
        ),
        (
            ("GET", "/api/forums/post-draft"),
            Sample {
                ok_for: member_only,
                ..sample(format!("/api/forums/post-draft?post={post}"), "", 403)
            },
        ),
        (
            ("POST", "/forums/{forum}/new"),
            sample("/forums/general/new", "title=", 422),
        ),
        (
            ("POST", "/forums/{forum}/{topic}/reply"),
            sample(format!("/forums/general/{topic}/reply"), "body=", 422),
        ),
        (
            ("POST", "/forums/posts/{post}/edit"),
            Sample {
                ok_for: &[("member", 422)],
                ..sample(format!("/forums/posts/{post}/edit"), "body=", 403)
            },
        ),
        (
            ("POST", "/forums/posts/{post}/delete"),
            Sample {
                ok_for: &[("member", 422)],
                ..sample(format!("/forums/posts/{post}/delete"), "", 403)
            },
        ),
        (
            ("GET", "/forums/posts/{post}/report"),
            get(format!("/forums/posts/{post}/report")),
        ),
        (
            ("GET", "/forums/moderation"),
            Sample {
                ok_for: moderators(200),
                ..sample("/forums/moderation", "", 403)
            },
        ),
        (
            ("GET", "/api/forums/moderation"),
            Sample {
                ok_for: moderators(200),
                ..sample("/api/forums/moderation", "", 403)
            },
        ),
        (
            ("POST", "/forums/posts/{post}/report"),
            sample(format!("/forums/posts/{post}/report"), "reason=", 422),
        ),
        (
            ("POST", "/forums/posts/{post}/hide"),
            Sample {
                ok_for: moderators(303),
                ..sample(format!("/forums/posts/{post}/hide"), "hidden=yes", 403)
            },
        ),
        (
            ("POST", "/forums/moderation/reports/{report}/dismiss"),
            Sample {
                ok_for: &[("moderator", 303), ("administrator", 404)],
                ..sample(
                    format!("/forums/moderation/reports/{report}/dismiss"),
                    "",
                    403,
                )
            },
        ),
        (
            ("POST", "/forums/{forum}/{topic}/moderate"),
            Sample {
                ok_for: moderators(303),
                ..sample(
                    format!("/forums/general/{topic}/moderate"),
                    "change=lock",
                    403,
                )
            },
        ),
        (
            ("POST", "/forums/{forum}/{topic}/move"),
            Sample {
                ok_for: moderators(303),
                ..sample(
                    format!("/forums/general/{topic}/move"),
                    "forum=general",
                    403,
                )
            },
        ),
        (
            ("POST", "/forums/{forum}/{topic}/merge"),
            Sample {
                ok_for: &[("moderator", 422), ("administrator", 422)],
                ..sample(format!("/forums/general/{topic}/merge"), "into=", 403)
            },
        ),
        (
            ("GET", "/forums/posts/{post}/split"),
            Sample {
                ok_for: moderators(200),
                ..sample(format!("/forums/posts/{post}/split"), "", 403)
            },
        ),
        (
            ("GET", "/api/forums/split-plan"),
            Sample {
                ok_for: moderators(200),
                ..sample(format!("/api/forums/split-plan?post={post}"), "", 403)
            },
        ),
        (
            ("POST", "/forums/posts/{post}/split"),
            Sample {
                ok_for: &[("moderator", 422), ("administrator", 422)],
                ..sample(format!("/forums/posts/{post}/split"), "title=", 403)
            },
        ),
        (
            ("POST", "/forums/moderation/held/{held}"),
            Sample {
                ok_for: &[("moderator", 422), ("administrator", 422)],
                ..sample(
                    format!("/forums/moderation/held/{}", world.held),
                    "decision=maybe",
                    403,
                )
            },
        ),
        (
            ("GET", "/forums/posts/{post}/history"),
            Sample {
                ok_for: moderators(200),
                ..sample(format!("/forums/posts/{post}/history"), "", 403)
            },
        ),
        (
            ("GET", "/api/forums/post-history"),
            Sample {
                ok_for: moderators(200),
                ..sample(format!("/api/forums/post-history?post={post}"), "", 403)
            },
        ),
        (
            ("GET", "/api/forums/mention-suggestions"),
            get("/api/forums/mention-suggestions?forum=general&prefix=per"),
        ),
        (
            ("POST", "/api/forums/preview"),
            sample("/api/forums/preview", "body=**bold**", 200),
        ),
        (
            ("GET", "/api/forums/feed-token"),
            get("/api/forums/feed-token"),
        ),
        (
            ("POST", "/account/feeds"),
            sample("/account/feeds", "change=on", 303),
        ),
        (
            ("GET", "/forums/{forum}/feed.atom"),
            missing("/forums/general/feed.atom?token=1.forged"),
        ),
        (
            ("GET", "/forums/{forum}/{topic}/feed.atom"),
            missing(format!("/forums/general/{topic}/feed.atom?token=1.forged")),
        ),
        (("GET", "/notifications"), get("/notifications")),
        (("GET", "/api/notifications"), get("/api/notifications")),
        (
            ("GET", "/api/notifications/unread"),
            get("/api/notifications/unread"),
        ),
        (
            ("POST", "/notifications/read"),
            sample("/notifications/read", "", 303),
        ),
        (
            ("POST", "/forums/{forum}/{topic}/watch"),
            sample(
                format!("/forums/general/{topic}/watch"),
                "watching=yes",
                303,
            ),
        ),
        (
            ("POST", "/forums/{forum}/watch"),
            sample("/forums/general/watch", "watching=no", 303),
        ),
        (
            ("GET", "/unsubscribe"),
            missing("/unsubscribe?token=1.forged"),
        ),
        (
            ("GET", "/api/unsubscribe"),
            missing("/api/unsubscribe?token=1.forged"),
        ),
        (
            ("GET", "/unsubscribe/one-click"),
            sample("/unsubscribe/one-click?token=1.forged", "", 303),
        ),
        (
            ("POST", "/unsubscribe/one-click"),
            sample(
                "/unsubscribe/one-click?token=1.forged",
                "List-Unsubscribe=One-Click",
                404,
            ),
        ),
        (("GET", "/admin/forums"), get("/admin/forums")),
        (("GET", "/api/forums/settings"), get("/api/forums/settings")),
        (
            ("GET", "/api/forums/approval-setting"),
            get("/api/forums/approval-setting"),
        ),
        (
            ("POST", "/admin/forums/approval"),
            sample("/admin/forums/approval", "count=many", 422),
        ),
        (
            ("POST", "/admin/forums"),
            sample("/admin/forums", "slug=Not+A+Slug", 422),
        ),
        (
            ("POST", "/admin/forums/{forum}"),
            sample("/admin/forums/general", "name=", 422),
        ),
        (
            ("POST", "/admin/forums/{forum}/archive"),
            sample("/admin/forums/no-such-forum/archive", "archived=yes", 404),
        ),
        // Downloads, health, single sign-on (not configured here, so 404 for everyone).
        (("GET", "/health"), get("/health")),
        (
            ("GET", "/pkg/{*file}"),
            get("/pkg/ohnet.fedcba9876543210.css"),
        ),
        (("GET", "/favicon.svg"), missing("/favicon.svg")),
        (("GET", "/account/data"), get("/account/data")),
        (
            ("GET", "/learning/{module}/media/{file}"),
            missing(module("/media/none.png")),
        ),
        (("GET", "/sign-in/sso"), missing("/sign-in/sso")),
        (
            ("GET", "/sign-in/sso/callback"),
            missing("/sign-in/sso/callback?code=x&state=y"),
        ),
        // Forms: a sample each visitor the rule admits may send (422: a field error; 303: done).
        (("POST", "/register"), sample("/register", "name=", 422)),
        (
            ("POST", "/register/sso"),
            sample("/register/sso", "name=", 422),
        ),
        (
            ("POST", "/verify-email"),
            sample("/verify-email", "token=not-a-token", 422),
        ),
        (("POST", "/sign-in"), sample("/sign-in", "email=", 422)),
        (("POST", "/sign-out"), sample("/sign-out", "", 303)),
        (
            ("POST", "/reset-password"),
            sample("/reset-password", "email=not-an-address", 422),
        ),
        (
            ("POST", "/reset-password/new"),
            sample(
                "/reset-password/new",
                "token=x&password=long+enough+pw",
                422,
            ),
        ),
        (
            ("POST", "/account/profile"),
            sample("/account/profile", "name=", 422),
        ),
        (
            ("POST", "/account/email-preferences"),
            sample(
                "/account/email-preferences",
                "newsletters=yes&forum_email=daily",
                303,
            ),
        ),
        (
            ("POST", "/account/password"),
            sample(
                "/account/password",
                "current_password=wrong&new_password=x",
                422,
            ),
        ),
        (
            ("POST", "/account/sign-out-others"),
            sample("/account/sign-out-others", "", 303),
        ),
        (
            ("POST", "/account/close"),
            Sample {
                ok_for: &[("administrator", 409)],
                ..sample("/account/close", "password=", 422)
            },
        ),
        (
            ("POST", "/admin/members/{id}/approve"),
            sample(
                format!("/admin/members/{approve}/approve"),
                "list=status%3Dpending",
                303,
            ),
        ),
        (
            ("POST", "/admin/members/{id}/decline"),
            sample(format!("/admin/members/{decline}/decline"), "reason=", 422),
        ),
        (
            ("POST", "/admin/members/{id}/role"),
            sample(format!("/admin/members/{approve}/role"), "role=editor", 303),
        ),
        (
            ("POST", "/admin/members/{id}/groups"),
            sample(
                format!("/admin/members/{approve}/groups"),
                "groups=cmo",
                303,
            ),
        ),
        (
            ("POST", "/admin/members/{id}/suspend"),
            sample(format!("/admin/members/{approve}/suspend"), "", 303),
        ),
        (
            ("POST", "/admin/members/{id}/reinstate"),
            sample(format!("/admin/members/{approve}/reinstate"), "", 303),
        ),
        (
            ("POST", "/admin/allow-list"),
            sample("/admin/allow-list", "domain=", 422),
        ),
        (
            ("POST", "/admin/allow-list/remove"),
            sample(
                "/admin/allow-list/remove",
                "domain=never-added.example",
                404,
            ),
        ),
        (
            ("POST", "/learning/{module}/{lesson}/complete"),
            sample(module(&format!("/{LESSON}/complete")), "", 303),
        ),
        (
            ("POST", "/learning/{module}/check"),
            sample(module("/check"), "answer-nothing=0", 422),
        ),
        (
            ("POST", "/learning/{module}/edit"),
            sample(module("/edit"), "manifest=", 422),
        ),
        (
            ("POST", "/learning/{module}/{lesson}/edit"),
            sample(
                module(&format!("/{LESSON}/edit")),
                "intent=save&title=",
                422,
            ),
        ),
        (
            ("POST", "/learning/new"),
            sample("/learning/new", "slug=Not+A+Slug", 422),
        ),
        (
            ("POST", "/learning/{module}/lessons"),
            sample(module("/lessons"), "file_name=notes.txt", 422),
        ),
        (
            ("POST", "/learning/{module}/review"),
            sample(module("/review"), "reviewers=&reviewed_on=2026-01-01", 422),
        ),
    ])
}

/// The status `visitor` should get from `rule` when sending `sample`.
fn expected(rule: &RouteRule, sample: &Sample, visitor: &Visitor) -> u16 {
    match rule.access.check(&visitor.actor) {
        Ok(()) => sample
            .ok_for
            .iter()
            .find(|(name, _)| *name == visitor.name)
            .map_or(sample.ok, |(_, status)| *status),
        Err(domain::Error::Unauthenticated)
            if rule.is_navigation() || rule.kind == RouteKind::Form =>
        {
            303
        }
        Err(domain::Error::Unauthenticated) => 401,
        Err(_) => 403,
    }
}

/// The rules in the order they are exercised: signing out last, since it ends the session.
fn rules_in_order() -> Vec<RouteRule> {
    let mut rules = rules();
    rules.sort_by_key(|rule| rule.path == "/sign-out");
    rules
}

fn method_name(method: &Method) -> &'static str {
    if *method == Method::POST {
        "POST"
    } else {
        "GET"
    }
}

#[test]
fn every_route_is_registered_with_a_rule_and_has_a_sample() {
    let rules = rules();
    let registered = |kind: RouteKind| -> BTreeSet<String> {
        rules
            .iter()
            .filter(|rule| rule.kind == kind)
            .map(|rule| rule.path.to_owned())
            .collect()
    };
    let server_fns: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert_eq!(
        server_fns,
        registered(RouteKind::ServerFunction),
        "server functions without an access rule in the route registry (or rules for none)"
    );
    let pages: BTreeSet<String> = leptos_axum::generate_route_list(app::shell::App)
        .iter()
        .map(|listing| listing.path().to_owned())
        .collect();
    assert_eq!(
        pages,
        registered(RouteKind::Page),
        "pages without an access rule in the route registry (or rules for none)"
    );
}

#[tokio::test]
async fn each_visitor_gets_what_the_rule_says_and_no_outsider_sees_the_canary() {
    let world = world().await;
    let samples = samples(&world);
    let mut problems = Vec::new();
    let rules = rules_in_order();
    for rule in &rules {
        let method = method_name(&rule.method);
        let Some(sample) = samples.get(&(method, rule.path)) else {
            problems.push(format!("{method} {}: no sample in the matrix", rule.path));
            continue;
        };
        for visitor in &world.visitors {
            let (status, body) =
                request_as(&world.router, visitor, method, &sample.path, sample.form).await;
            let want = expected(rule, sample, visitor);
            if status.as_u16() != want {
                problems.push(format!(
                    "{method} {} as {}: got {status}, want {want}",
                    sample.path, visitor.name
                ));
            }
            if visitor.name != "cmo member" && body.contains(CANARY) {
                problems.push(format!(
                    "{method} {} as {}: the canary reached an outsider",
                    sample.path, visitor.name
                ));
            }
        }
    }
    let registered: BTreeSet<(&str, &str)> = rules
        .iter()
        .map(|rule| (method_name(&rule.method), rule.path))
        .collect();
    for key in samples.keys() {
        if !registered.contains(key) {
            problems.push(format!(
                "{} {}: a sample for no registered route",
                key.0, key.1
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "authorization matrix:\n{}",
        problems.join("\n")
    );
}

/// Requests that look for private items directly, and whether the insider (a CMO group
/// member) sees the canary in the answer: the items themselves, their server functions, a
/// private topic asked for under another forum, quoting, and every kind of search for their
/// words (never for the token itself, which a results page rightly echoes back).
fn canary_requests(world: &World) -> Vec<(String, bool)> {
    let (topic, reply) = world.cmo_topic;
    vec![
        (format!("/forums/cmo/{topic}"), true),
        (format!("/forums/cmo/{topic}?quote={reply}"), true),
        (format!("/api/forums/topic?forum=cmo&topic={topic}"), true),
        ("/api/forums/forum?slug=cmo".to_owned(), true),
        ("/forums/cmo".to_owned(), true),
        (format!("/forums/general/{topic}"), false),
        (format!("/{CANARY_PAGE}"), true),
        (format!("/api/pages/get?slug={CANARY_PAGE}"), true),
        ("/search?q=Private+text".to_owned(), true),
        ("/api/search/site?query=Private+text".to_owned(), true),
        ("/api/search/suggest?query=Group+guid".to_owned(), true),
        ("/api/search/site?query=Group+guidance".to_owned(), true),
        // The CMO forum's topics and replies, by their words, title, type and order.
        ("/search?q=Confidential+draft".to_owned(), true),
        ("/search?q=draft+words&kind=post".to_owned(), true),
        ("/search?q=draft&sort=newest".to_owned(), true),
        ("/api/search/site?query=Draft+position".to_owned(), true),
        ("/api/search/suggest?query=Draft+posi".to_owned(), true),
        // The CMO group's library document: itself, its comparison, the lists and pages that
        // would show it, and its words in search.
        (format!("/library/{CANARY_DOCUMENT}"), true),
        (
            format!("/api/library/document?slug={CANARY_DOCUMENT}"),
            true,
        ),
        (
            format!("/library/{CANARY_DOCUMENT}/compare?from=1&to=1"),
            true,
        ),
        (
            format!("/library/{CANARY_DOCUMENT}/files/briefing.pdf"),
            true,
        ),
        ("/library".to_owned(), true),
        ("/library?audience=groups&sort=title".to_owned(), true),
        ("/api/library/list?kind=good-practice".to_owned(), true),
        ("/good-practice".to_owned(), true),
        // Editors' pages: the CMO document is overdue for review and a CMO editor has a draft
        // with the canary, yet an editor outside the group never learns of either.
        ("/library/drafts".to_owned(), false),
        ("/api/library/desk".to_owned(), false),
        (format!("/library/{CANARY_DOCUMENT}/edit"), false),
        (format!("/api/library/editor?slug={CANARY_DOCUMENT}"), false),
        (format!("/library/{CANARY_DRAFT}/edit"), false),
        (format!("/api/library/editor?slug={CANARY_DRAFT}"), false),
        ("/search?q=sphagnum+briefing".to_owned(), true),
        ("/search?q=briefing&kind=document".to_owned(), true),
        // A CPD entry: its owner sees it in their log and on its pages; it is never searched.
        ("/cpd".to_owned(), true),
        ("/api/cpd/log".to_owned(), true),
        (format!("/cpd/{}", world.cpd_entry), true),
        (format!("/cpd/{}/edit", world.cpd_entry), true),
        (format!("/api/cpd/entry?id={}", world.cpd_entry), true),
        ("/cpd/portfolio?from=2026-01-01".to_owned(), true),
        ("/api/cpd/portfolio?from=2026-01-01".to_owned(), true),
        ("/cpd/export/log.csv".to_owned(), true),
        ("/cpd/export/portfolio.json".to_owned(), true),
        // The revalidation records and the profile: their owner's alone, never searched.
        ("/cpd/revalidation".to_owned(), true),
        ("/api/cpd/revalidation".to_owned(), true),
        ("/cpd/revalidation/discussion".to_owned(), true),
        ("/api/cpd/discussion".to_owned(), true),
        ("/cpd/profile".to_owned(), true),
        ("/api/cpd/profile".to_owned(), true),
        ("/cpd/profile/edit".to_owned(), true),
        ("/cpd/export/practice-hours.csv".to_owned(), true),
        ("/cpd/export/feedback.csv".to_owned(), true),
        ("/cpd/export/reflections.csv".to_owned(), true),
        (format!("/cpd/practice/{}/edit", world.cpd_records.0), true),
        (
            format!("/api/cpd/practice?id={}", world.cpd_records.0),
            true,
        ),
        (format!("/cpd/feedback/{}/edit", world.cpd_records.1), true),
        (
            format!("/api/cpd/feedback?id={}", world.cpd_records.1),
            true,
        ),
        (
            format!("/cpd/reflections/{}/edit", world.cpd_records.2),
            true,
        ),
        (
            format!("/api/cpd/reflection?id={}", world.cpd_records.2),
            true,
        ),
        ("/search?q=Private+experience".to_owned(), false),
        ("/search?q=Private+practice".to_owned(), false),
        ("/search?q=Supervision+notes".to_owned(), false),
        ("/api/search/suggest?query=Supervis".to_owned(), false),
        // Held posts are not published, so nobody finds them.
        ("/search?q=Held+words".to_owned(), false),
        ("/api/search/suggest?query=Held+dra".to_owned(), false),
        ("/notifications".to_owned(), false),
        ("/api/notifications".to_owned(), false),
        // The merged topic's old address, and the held CMO topic in the moderators' queue.
        (format!("/forums/cmo/{}", world.cmo_merged), false),
        (
            format!("/api/forums/topic?forum=cmo&topic={}", world.cmo_merged),
            false,
        ),
        ("/forums/moderation".to_owned(), false),
        ("/api/forums/moderation".to_owned(), false),
    ]
}

#[tokio::test]
async fn private_items_reach_their_group_and_nobody_else() {
    let world = world().await;
    for visitor in &world.visitors {
        let insider = visitor.name == "cmo member";
        for (path, insider_sees) in canary_requests(&world) {
            let (status, body) = request_as(&world.router, visitor, "GET", &path, "").await;
            assert_eq!(
                body.contains(CANARY),
                insider && insider_sees,
                "GET {path} as {}: {status}",
                visitor.name
            );
            if insider && insider_sees {
                assert_eq!(status, StatusCode::OK, "GET {path} as {}", visitor.name);
            }
        }
        // The private forum is not even listed (so neither are its counts or latest post).
        for path in ["/forums", "/api/forums/list"] {
            let (_, body) = request_as(&world.router, visitor, "GET", path, "").await;
            assert_eq!(
                body.contains("CMO forum"),
                insider,
                "GET {path} as {}",
                visitor.name
            );
        }
        if !insider && visitor.actor != domain::accounts::Actor::Anonymous {
            for (private, missing) in [
                (format!("/{CANARY_PAGE}"), "/no-such-page".to_owned()),
                (
                    format!("/forums/cmo/{}", world.cmo_topic.0),
                    "/forums/general/999999".to_owned(),
                ),
                (
                    format!("/forums/general/{}", world.cmo_merged),
                    "/forums/general/999999".to_owned(),
                ),
                ("/forums/cmo".to_owned(), "/forums/no-such-forum".to_owned()),
                (
                    format!("/library/{CANARY_DOCUMENT}"),
                    "/library/no-such-document".to_owned(),
                ),
                (
                    format!("/cpd/{}", world.cpd_entry),
                    "/cpd/999999".to_owned(),
                ),
            ] {
                let (status, _) = request_as(&world.router, visitor, "GET", &private, "").await;
                let (absent, _) = request_as(&world.router, visitor, "GET", &missing, "").await;
                assert_eq!(
                    status, absent,
                    "{private} looks missing to {}",
                    visitor.name
                );
            }
        }
    }
    let mail = world
        .services
        .db()
        .query_all_raw(Statement::from_string(
            world.services.db().get_database_backend(),
            "SELECT subject || ' ' || body_text AS text FROM mail_outbox",
        ))
        .await
        .unwrap();
    for row in mail {
        let text: String = row.try_get("", "text").unwrap();
        assert!(!text.contains(CANARY), "queued mail carries the canary");
    }
}

#[test]
fn access_rules_decide_through_the_domain() {
    assert!(
        Access::Public
            .check(&domain::accounts::Actor::Anonymous)
            .is_ok()
    );
    assert!(matches!(
        Access::Member.check(&domain::accounts::Actor::Anonymous),
        Err(domain::Error::Unauthenticated)
    ));
}

#[tokio::test]
async fn a_feed_carries_only_what_its_owner_may_read() {
    let world = world().await;
    let forums = &world.services.forums;
    let (topic, _) = world.cmo_topic;
    for visitor in &world.visitors {
        let insider = visitor.name == "cmo member";
        if forums
            .change_feeds(&visitor.actor, domain::forums::FeedChange::TurnOn)
            .await
            .is_err()
        {
            continue; // not an approved member: no feeds to turn on
        }
        let token = forums.feed_token(&visitor.actor).await.unwrap().unwrap();
        for path in [
            format!("/forums/cmo/feed.atom?token={token}"),
            format!("/forums/cmo/{topic}/feed.atom?token={token}"),
        ] {
            let (status, body) = request_as(&world.router, visitor, "GET", &path, "").await;
            let expected = if insider {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(status, expected, "GET {path} as {}", visitor.name);
            assert_eq!(
                body.contains(CANARY),
                insider,
                "GET {path} as {}",
                visitor.name
            );
            if insider {
                assert!(body.starts_with("<?xml"), "{body}");
                assert!(body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
            }
        }
        let (status, body) = request_as(
            &world.router,
            visitor,
            "GET",
            &format!("/forums/general/feed.atom?token={token}"),
            "",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "general feed as {}", visitor.name);
        assert!(body.contains("Shift work and sleep"));
        assert!(!body.contains(CANARY), "general feed as {}", visitor.name);
        // Followed in the browser without a key, the link adds the member's own.
        let (status, _) = request_as(
            &world.router,
            visitor,
            "GET",
            "/forums/general/feed.atom",
            "",
        )
        .await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "feed link as {}",
            visitor.name
        );
    }
}

#[test]
fn every_download_link_on_the_cpd_page_names_an_export() {
    let offered: Vec<&str> = app::cpd::EXPORT_FILES
        .iter()
        .map(|(name, _)| *name)
        .collect();
    let exported: Vec<&str> = domain::cpd::ExportFile::ALL
        .iter()
        .map(|file| file.name())
        .collect();
    assert_eq!(offered, exported);
}
