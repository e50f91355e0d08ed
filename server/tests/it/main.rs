//! The server's integration tests, in one binary (one link of the whole dependency tree):
//! the router in-process, the authorization matrix and canary sweep over the route registry,
//! and the request plumbing (CSRF on multipart posts, client addresses behind proxies).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod authorization;
mod plumbing;
mod router;
mod support;
