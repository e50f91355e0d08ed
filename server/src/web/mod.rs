//! HTTP plumbing between the router and the domain: who is asking (session cookies), CSRF
//! protection, and the plain form posts that change things.

pub mod cookies;
pub mod csrf;
pub mod forms;
pub mod session;
