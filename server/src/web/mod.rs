//! HTTP plumbing between the router and the domain: who is asking (session cookies), CSRF
//! protection, the plain form posts that change things, and single sign-on.

pub mod cookies;
pub mod csrf;
pub mod forms;
pub mod session;
pub mod sso;
