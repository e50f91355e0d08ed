//! HTTP plumbing between the router and the domain, by area with the same names as `app/` and
//! `domain/`: each area's form posts, downloads and the access rule of each of its routes, plus
//! the shared mechanics (forms, the route registry, sessions, CSRF, cookies, client address).

pub mod accounts;
pub mod admin;
pub mod client_ip;
pub mod cookies;
pub mod cpd;
pub mod csrf;
pub mod files;
pub mod form;
pub mod forums;
pub mod learning;
pub mod library;
pub mod pages;
pub mod routes;
pub mod search;
pub mod session;
