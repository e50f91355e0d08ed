//! Single sign-on with OpenID Connect (the `openidconnect` crate, built on `oauth2`): the
//! authorization code flow with PKCE, state and nonce. The ID token's signature, issuer,
//! audience, expiry and nonce are verified before anything is trusted. A first sign-on links to
//! the account with the same (provider-verified) email address, or starts an application.

use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    reqwest,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use tokio::sync::Mutex;

use super::applications::request_groups;
use super::emails;
use super::entities::{sso_attempt, user, user_identity};
use super::sessions::{check_can_sign_in, start_session};
use super::validation::{validate_details, validate_email, validate_groups};
use super::{
    AccountService, Actor, MemberDetails, MemberStatus, RequestOrigin, Role, SignedIn,
    member_target, tokens,
};
use crate::rate_limit::Limited;
use crate::{Error, FieldError, Result, audit};

/// How long a sign-on may take at the provider, and then how long a newcomer has to finish
/// the application form.
const ATTEMPT_MINUTES: i64 = 30;
/// How long discovered provider metadata (endpoints and signing keys) is reused.
const METADATA_TTL: StdDuration = StdDuration::from_secs(3600);
/// Where the provider sends the browser back to, under the site's base URL.
pub const CALLBACK_PATH: &str = "/sign-in/sso/callback";
/// What to tell the member when the provider did not complete the sign-on.
const PROVIDER_FAILED: &str = "Your organisation's sign-in service did not complete the sign-in. \
     Try again, or sign in with your email address and password.";
/// What to tell the member when the attempt is unknown, stale or from another browser.
const ATTEMPT_EXPIRED: &str = "That sign-in took too long or was started in another browser. \
     Try again.";

/// The OpenID Connect provider to trust (`OHNET_OIDC_ISSUER`, `OHNET_OIDC_CLIENT_ID`,
/// `OHNET_OIDC_CLIENT_SECRET`).
#[derive(Clone, Debug)]
pub struct SsoSettings {
    /// Issuer URL, exactly as the provider's discovery document states it.
    pub issuer: String,
    /// The client id ohnet is registered with.
    pub client_id: String,
    /// The client secret.
    pub client_secret: String,
}

/// Where to send the browser to sign on, and the secret for the attempt's cookie.
#[derive(Clone, Debug)]
pub struct SsoStart {
    /// The provider's authorization URL.
    pub url: String,
    /// Binds the attempt to this browser (cookie value).
    pub token: String,
}

/// How a sign-on ended.
#[derive(Clone, Debug)]
pub enum SsoOutcome {
    /// Signed in; go to `return_to`.
    SignedIn {
        /// The new session.
        signed_in: SignedIn,
        /// A local path to return to.
        return_to: String,
    },
    /// Nobody has this email address yet: the person may apply (the attempt's cookie stays).
    Apply,
}

/// A newcomer who signed on and is filling in the application form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoApplicant {
    /// Name from the provider.
    pub name: String,
    /// Verified email address from the provider.
    pub email: String,
}

type OidcClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The provider's discovered metadata, fetched on first use and refreshed hourly.
#[derive(Debug)]
pub(super) struct SsoClient {
    settings: SsoSettings,
    redirect_url: String,
    discovered: Mutex<Option<(Instant, reqwest::Client, CoreProviderMetadata)>>,
}

/// What the provider vouched for.
struct VerifiedIdentity {
    issuer: String,
    subject: String,
    email: Option<String>,
    email_verified: bool,
    name: Option<String>,
}

impl SsoClient {
    pub(super) fn new(settings: SsoSettings, base_url: &str) -> Self {
        Self {
            redirect_url: format!("{}{CALLBACK_PATH}", base_url.trim_end_matches('/')),
            settings,
            discovered: Mutex::new(None),
        }
    }

    /// A client for the provider, discovering its metadata if needed.
    async fn client(&self) -> Result<(OidcClient, reqwest::Client)> {
        let mut discovered = self.discovered.lock().await;
        let fresh = discovered
            .as_ref()
            .is_some_and(|(at, _, _)| at.elapsed() < METADATA_TTL);
        if !fresh {
            let unavailable = |detail: String| {
                tracing::warn!(%detail, issuer = %self.settings.issuer, "single sign-on provider unavailable");
                Error::Unavailable(PROVIDER_FAILED.to_owned())
            };
            let http = reqwest::ClientBuilder::new()
                // Following redirects would open the client to server-side request forgery.
                .redirect(reqwest::redirect::Policy::none())
                .timeout(StdDuration::from_secs(10))
                .build()
                .map_err(|err| unavailable(err.to_string()))?;
            let issuer = IssuerUrl::new(self.settings.issuer.clone())
                .map_err(|err| unavailable(err.to_string()))?;
            let metadata = CoreProviderMetadata::discover_async(issuer, &http)
                .await
                .map_err(|err| unavailable(err.to_string()))?;
            *discovered = Some((Instant::now(), http, metadata));
        }
        let Some((_, http, metadata)) = discovered.as_ref() else {
            return Err(Error::Internal("provider metadata missing".to_owned()));
        };
        let redirect = RedirectUrl::new(self.redirect_url.clone())
            .map_err(|err| Error::Internal(format!("bad redirect URL: {err}")))?;
        let client = CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        Ok((client, http.clone()))
    }

    /// Exchanges `code` and verifies the ID token (signature, issuer, audience, expiry, nonce).
    async fn identity(&self, code: &str, verifier: &str, nonce: &str) -> Result<VerifiedIdentity> {
        let failed = |detail: String| {
            tracing::warn!(%detail, "single sign-on did not complete");
            Error::Unavailable(PROVIDER_FAILED.to_owned())
        };
        let (client, http) = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|err| failed(err.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&http)
            .await
            .map_err(|err| failed(format!("token request: {err:?}")))?;
        let id_token = openidconnect::TokenResponse::id_token(&response)
            .ok_or_else(|| failed("no ID token in the token response".to_owned()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
            .map_err(|err| {
                // A key rotation shows up here: rediscover next time.
                if let Ok(mut discovered) = self.discovered.try_lock() {
                    *discovered = None;
                }
                failed(format!("ID token rejected: {err}"))
            })?;
        Ok(VerifiedIdentity {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email: claims.email().map(|email| email.as_str().to_lowercase()),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|name| name.get(None))
                .map(|name| name.as_str().trim().to_owned())
                .filter(|name| !name.is_empty()),
        })
    }
}

impl AccountService {
    /// True when single sign-on is configured (the sign-in page shows its button).
    pub fn sso_enabled(&self) -> bool {
        self.sso.is_some()
    }

    /// Starts a sign-on: records the attempt (PKCE verifier, state, nonce) and answers the
    /// provider URL to send the browser to. `return_to` must already be a safe local path.
    pub async fn sso_begin(&self, return_to: &str) -> Result<SsoStart> {
        let sso = self.sso.as_ref().ok_or(Error::NotFound)?;
        let (client, _) = sso.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let now = Utc::now();
        sso_attempt::Entity::delete_many()
            .filter(sso_attempt::Column::CreatedAt.lt(now - Duration::minutes(ATTEMPT_MINUTES)))
            .exec(&self.db)
            .await?;
        let token = tokens::random_token(32);
        sso_attempt::ActiveModel {
            token_hash: Set(tokens::token_hash(&token)),
            state: Set(state.secret().clone()),
            nonce: Set(nonce.secret().clone()),
            pkce_verifier: Set(verifier.secret().clone()),
            return_to: Set(return_to.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(SsoStart {
            url: url.to_string(),
            token,
        })
    }

    /// Finishes a sign-on when the provider sends the browser back with `code` and `state`.
    /// The attempt must belong to this browser (`token`) and be recent; the state must match.
    pub async fn sso_complete(
        &self,
        token: &str,
        state: &str,
        code: &str,
        origin: &RequestOrigin,
    ) -> Result<SsoOutcome> {
        let sso = self.sso.as_ref().ok_or(Error::NotFound)?;
        self.limits.check(Limited::SignIn, origin.ip, None)?;
        let expired = || Error::InvalidFields(vec![FieldError::new("sso", ATTEMPT_EXPIRED)]);
        let attempt = self
            .sso_attempt(token)
            .await?
            .filter(|attempt| attempt.subject.is_none() && attempt.state == state)
            .ok_or_else(expired)?;
        let identity = sso
            .identity(code, &attempt.pkce_verifier, &attempt.nonce)
            .await?;
        let txn = self.db.begin().await?;
        let linked = user_identity::Entity::find()
            .filter(user_identity::Column::Issuer.eq(&identity.issuer))
            .filter(user_identity::Column::Subject.eq(&identity.subject))
            .one(&txn)
            .await?;
        let account = match linked {
            Some(link) => user::Entity::find_by_id(link.user_id).one(&txn).await?,
            None => {
                let Some(email) = identity.email.clone().filter(|_| identity.email_verified) else {
                    return Err(Error::InvalidFields(vec![FieldError::new(
                        "sso",
                        "Your organisation's sign-in service did not confirm your email address, \
                         so it cannot be used here. Sign in with your email address and password, \
                         or apply to join.",
                    )]));
                };
                let existing = user::Entity::find()
                    .filter(user::Column::Email.eq(&email))
                    .one(&txn)
                    .await?;
                if let Some(existing) = &existing {
                    check_can_sign_in(&existing.status)?;
                    user_identity::ActiveModel {
                        user_id: Set(existing.id),
                        issuer: Set(identity.issuer.clone()),
                        subject: Set(identity.subject.clone()),
                        created_at: Set(Utc::now()),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                }
                existing
            }
        };
        let Some(account) = account else {
            let mut waiting = sso_attempt::ActiveModel::from(attempt);
            waiting.issuer = Set(Some(identity.issuer));
            waiting.subject = Set(Some(identity.subject));
            waiting.email = Set(identity.email);
            waiting.name = Set(identity.name);
            waiting.update(&txn).await?;
            txn.commit().await?;
            return Ok(SsoOutcome::Apply);
        };
        check_can_sign_in(&account.status)?;
        let session = start_session(&txn, account.id, origin).await?;
        let return_to = attempt.return_to.clone();
        sso_attempt::Entity::delete_by_id(attempt.id)
            .exec(&txn)
            .await?;
        txn.commit().await?;
        let member = self.member_from(account).await?;
        Ok(SsoOutcome::SignedIn {
            signed_in: SignedIn {
                token: session,
                member,
            },
            return_to,
        })
    }

    /// The newcomer behind a finished sign-on attempt, for the application form.
    pub async fn sso_applicant(&self, token: &str) -> Result<SsoApplicant> {
        let attempt = self.sso_attempt(token).await?.ok_or(Error::NotFound)?;
        match (attempt.email, attempt.subject) {
            (Some(email), Some(_)) => Ok(SsoApplicant {
                name: attempt.name.unwrap_or_default(),
                email,
            }),
            _ => Err(Error::NotFound),
        }
    }

    /// Applies to join with the identity from a finished sign-on: the email address is already
    /// verified by the provider, so the application goes straight to the administrators (or is
    /// approved, for an allow-listed domain) and the applicant is signed in to follow it.
    pub async fn sso_apply(
        &self,
        token: &str,
        details: &MemberDetails,
        requested_groups: Vec<String>,
        origin: &RequestOrigin,
    ) -> Result<SignedIn> {
        let groups = self.groups().await?;
        let attempt = self
            .sso_attempt(token)
            .await?
            .ok_or_else(|| Error::InvalidFields(vec![FieldError::new("name", ATTEMPT_EXPIRED)]))?;
        let (Some(issuer), Some(subject), Some(email)) = (
            attempt.issuer.clone(),
            attempt.subject.clone(),
            attempt.email.clone(),
        ) else {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "name",
                ATTEMPT_EXPIRED,
            )]));
        };
        let mut problems = Vec::new();
        let valid = validate_details(details, &mut problems);
        let email = validate_email(&email, &mut problems);
        let requested = validate_groups(requested_groups, &groups, &mut problems);
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        self.limits.check(Limited::Registration, origin.ip, None)?;
        let txn = self.db.begin().await?;
        let taken = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(Error::Conflict(
                "An account with this email address already exists. Sign in instead.".to_owned(),
            ));
        }
        let approved = self.auto_approved(&txn, &email).await?;
        let now = Utc::now();
        let status = if approved {
            MemberStatus::Active
        } else {
            MemberStatus::Pending
        };
        let created = user::ActiveModel {
            email: Set(email.clone()),
            name: Set(valid.name.clone()),
            handle: Set(Some(
                super::handles::unique_handle(&txn, &valid.name).await?,
            )),
            password_hash: Set(String::new()),
            profession: Set(valid.profession),
            organisation: Set(valid.organisation),
            regulator: Set(valid.regulator),
            registration_number: Set(valid.registration_number),
            status: Set(status.as_str().to_owned()),
            role: Set(Role::Member.as_str().to_owned()),
            created_at: Set(now),
            verified_at: Set(Some(now)),
            decided_at: Set(approved.then_some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        request_groups(&txn, created.id, &requested).await?;
        user_identity::ActiveModel {
            user_id: Set(created.id),
            issuer: Set(issuer),
            subject: Set(subject),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        sso_attempt::Entity::delete_by_id(attempt.id)
            .exec(&txn)
            .await?;
        if approved {
            audit::record(
                &txn,
                &Actor::Anonymous,
                "member.auto-approve",
                &member_target(created.id, &email),
                "email domain is on the allow-list (single sign-on)",
                None,
            )
            .await?;
            emails::approved(&valid.name, &self.settings.base_url)
                .enqueue(&txn, &email)
                .await?;
        }
        let session = start_session(&txn, created.id, origin).await?;
        txn.commit().await?;
        let member = self.member_from(created).await?;
        Ok(SignedIn {
            token: session,
            member,
        })
    }

    /// The recent attempt behind `token`, if any.
    async fn sso_attempt(&self, token: &str) -> Result<Option<sso_attempt::Model>> {
        let since = Utc::now() - Duration::minutes(ATTEMPT_MINUTES);
        Ok(sso_attempt::Entity::find()
            .filter(sso_attempt::Column::TokenHash.eq(tokens::token_hash(token)))
            .filter(sso_attempt::Column::CreatedAt.gt(since))
            .one(&self.db)
            .await?)
    }
}
