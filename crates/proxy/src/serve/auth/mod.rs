//! How the proxy authenticates to Redis: an access key (password, optionally with an ACL user)
//! or a Microsoft Entra ID token that is refreshed before it expires.

pub mod entra;

use std::sync::Arc;
use tokio::sync::watch;

/// The credentials every upstream connection authenticates with.
#[derive(Clone)]
pub enum Credentials {
    /// No AUTH (a local Redis without a password).
    None,
    /// `AUTH [user] password`.
    Password { user: Option<String>, password: String },
    /// `AUTH <object-id> <token>`, the token kept fresh by [`entra::TokenManager`].
    Entra(watch::Receiver<Option<Arc<entra::EntraToken>>>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind())
    }
}

impl Credentials {
    /// "none", "password" or "entra" (shown in /health).
    pub fn kind(&self) -> &'static str {
        match self {
            Credentials::None => "none",
            Credentials::Password { .. } => "password",
            Credentials::Entra(_) => "entra",
        }
    }

    /// The AUTH command's arguments right now, if any.
    pub fn auth_args(&self) -> Result<Option<Vec<String>>, String> {
        match self {
            Credentials::None => Ok(None),
            Credentials::Password { user: Some(u), password } => {
                Ok(Some(vec!["AUTH".into(), u.clone(), password.clone()]))
            }
            Credentials::Password { user: None, password } => Ok(Some(vec!["AUTH".into(), password.clone()])),
            Credentials::Entra(rx) => match rx.borrow().as_ref() {
                Some(t) => Ok(Some(vec!["AUTH".into(), t.object_id.clone(), t.token.clone()])),
                None => Err("no Entra ID token yet (is `az login` done?)".into()),
            },
        }
    }
}
