//! AWS credentials.

use std::fmt;

use time::OffsetDateTime;

/// A set of AWS credentials: an access key, its secret, and for temporary
/// credentials a session token and an expiry.
///
/// `Debug` never shows the secret key or the session token.
///
/// ```
/// use boto_core::credentials::Credentials;
/// let c = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
/// let shown = format!("{c:?}");
/// assert!(shown.contains("AKIDEXAMPLE"));
/// assert!(!shown.contains("wJalr"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<OffsetDateTime>,
    account_id: Option<String>,
    provider: &'static str,
}

impl Credentials {
    /// Static credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiration: None,
            account_id: None,
            provider: "explicit",
        }
    }

    /// Sets when the credentials expire.
    pub fn with_expiration(mut self, expiration: Option<OffsetDateTime>) -> Credentials {
        self.expiration = expiration;
        self
    }

    /// Sets the account the credentials belong to (used by account-based
    /// endpoints).
    pub fn with_account_id(mut self, account_id: Option<String>) -> Credentials {
        self.account_id = account_id;
        self
    }

    /// Names the provider that produced the credentials (`env`,
    /// `shared-credentials-file`, `assume-role`, ...), for diagnostics.
    pub fn with_provider(mut self, provider: &'static str) -> Credentials {
        self.provider = provider;
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. Never log it.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials. Never log it.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials expire, if they do.
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.expiration
    }

    /// The account id, when known.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// The provider that produced the credentials.
    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiration", &self.expiration)
            .field("account_id", &self.account_id)
            .field("provider", &self.provider)
            .finish()
    }
}
