//! What a service tells the rest of musync about itself (rclone's
//! `RegInfo`): names, a description, capabilities, the options its sign-in
//! takes, the sign-in flow and how to open a stored account.
//!
//! Each service crate declares one `static INFO: ServiceInfo`; the
//! `musync-services` crate lists them. `accounts add`, the wizard's account
//! forms, `musync services` and the README's table are all built from these
//! entries, so adding a service never means editing the front ends.

use crate::{
    Account, Capabilities, ErrorKind, NewAccount, Secret, SecretStore, Service, ServiceError,
    ServiceKind,
};
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A boxed future, for the function pointers of a registry entry.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Called with an address a person must open during sign-in; front ends
/// always print it and may open a browser too.
pub type OnUrl = Box<dyn Fn(&str) + Send + Sync>;

/// Opens the service behind a stored account (already wrapped in
/// [`crate::Checked`]).
pub type OpenFn = fn(&Account, Arc<dyn SecretStore>) -> Result<Arc<dyn Service>, ServiceError>;

/// Runs a sign-in flow and returns the account to store with its secrets.
pub type SignInFn = fn(SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>>;

/// How a front end takes an option's value from a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionInput {
    /// `--NAME VALUE` on the command line, a text field in the wizard.
    Text,
    /// `--NAME FILE`: a path to a file the sign-in reads.
    Path,
    /// `--NAME PORT`: a TCP port.
    Port,
    /// `--NAME`: a yes/no switch (`--no-browser`).
    Flag,
    /// `--NAME-stdin`: a secret read from standard input (a terminal is
    /// prompted without echo), never taken as an argument.
    Stdin,
    /// Only from its environment variable (endpoints for self-hosting and
    /// tests); never asked.
    Env,
}

/// One option of a service (rclone's `Option`).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct OptionInfo {
    /// Name as typed: `client-id` is `--client-id` and the form field.
    pub name: &'static str,
    /// One line for `--help` and the wizard.
    pub help: &'static str,
    /// The value is a secret: never echoed, logged or stored outside the
    /// secret store.
    pub secret: bool,
    /// Sign-in cannot go on without it.
    #[serde(skip)]
    pub required: bool,
    /// How it is given.
    #[serde(skip)]
    pub input: OptionInput,
    /// The environment variable that sets it, if any.
    pub env: Option<&'static str>,
    /// The value used when it is not given, if any.
    pub default: Option<&'static str>,
}

impl OptionInfo {
    /// A plain text option.
    pub const fn text(name: &'static str, help: &'static str) -> Self {
        OptionInfo {
            name,
            help,
            secret: false,
            required: false,
            input: OptionInput::Text,
            env: None,
            default: None,
        }
    }

    /// An endpoint (or other setting) read from `env` only, with its default.
    pub const fn env(
        name: &'static str,
        help: &'static str,
        env: &'static str,
        default: &'static str,
    ) -> Self {
        OptionInfo {
            input: OptionInput::Env,
            env: Some(env),
            default: Some(default),
            ..OptionInfo::text(name, help)
        }
    }

    /// The same option, marked required.
    pub const fn required(self) -> Self {
        OptionInfo {
            required: true,
            ..self
        }
    }

    /// The same option, marked secret.
    pub const fn secret(self) -> Self {
        OptionInfo {
            secret: true,
            ..self
        }
    }

    /// The same option, given another way.
    pub const fn input(self, input: OptionInput) -> Self {
        OptionInfo { input, ..self }
    }

    /// The same option with a default value.
    pub const fn default_value(self, default: &'static str) -> Self {
        OptionInfo {
            default: Some(default),
            ..self
        }
    }

    /// The same option, also read from `env`.
    pub const fn with_env(self, env: &'static str) -> Self {
        OptionInfo {
            env: Some(env),
            ..self
        }
    }

    /// Whether a person gives it when adding an account (not env-only).
    pub fn is_asked(&self) -> bool {
        self.input != OptionInput::Env
    }
}

/// One service as the registry lists it.
pub struct ServiceInfo {
    /// Short and display names.
    pub kind: ServiceKind,
    /// One line on what musync does with it.
    pub description: &'static str,
    /// What a person needs before signing in and what happens then, for
    /// `accounts add --help` and the wizard's form.
    pub sign_in_help: &'static str,
    /// What it can do; `read_only` is derived from these.
    pub capabilities: Capabilities,
    /// Sign-in options and endpoint variables.
    pub options: &'static [OptionInfo],
    /// The sign-in flow; `None` for services that need none (files).
    pub sign_in: Option<SignInFn>,
    /// The playlist id in a share link or URI a person pasted, when the
    /// text is one of this service's.
    pub playlist_link: Option<fn(&str) -> Option<String>>,
    /// Opens a stored account.
    pub open: OpenFn,
}

impl ServiceInfo {
    /// Nothing is ever written to it.
    pub fn read_only(&self) -> bool {
        self.capabilities.read_only()
    }

    /// The options a person gives when adding an account, in order.
    pub fn asked_options(&self) -> impl Iterator<Item = &'static OptionInfo> {
        self.options.iter().filter(|o| o.is_asked())
    }
}

impl std::fmt::Debug for ServiceInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceInfo")
            .field("kind", &self.kind)
            .field("capabilities", &self.capabilities)
            .finish_non_exhaustive()
    }
}

/// `{"name","display_name","description","read_only","capabilities","options"}`,
/// the shape of `musync services --json`.
impl Serialize for ServiceInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ServiceInfo", 7)?;
        st.serialize_field("name", self.kind.as_str())?;
        st.serialize_field("display_name", self.kind.display_name())?;
        st.serialize_field("description", self.description)?;
        st.serialize_field("sign_in_help", self.sign_in_help)?;
        st.serialize_field("read_only", &self.read_only())?;
        st.serialize_field("capabilities", &self.capabilities)?;
        st.serialize_field("options", self.options)?;
        st.end()
    }
}

/// What a person gave to a sign-in flow: option values by name, secrets
/// kept apart, switches, and how to show an address.
pub struct SignInRequest {
    service: ServiceKind,
    values: HashMap<String, String>,
    secrets: HashMap<String, Secret>,
    flags: HashSet<String>,
    /// Shows an address the person must open (always printed by the CLI).
    pub on_url: OnUrl,
    /// How long to wait for the person to finish in a browser.
    pub timeout: Duration,
}

impl SignInRequest {
    /// An empty request for `service`, waiting up to ten minutes.
    pub fn new(service: ServiceKind, on_url: OnUrl) -> Self {
        SignInRequest {
            service,
            values: HashMap::new(),
            secrets: HashMap::new(),
            flags: HashSet::new(),
            on_url,
            timeout: Duration::from_secs(600),
        }
    }

    /// Sets a non-secret value.
    pub fn with_value(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.insert(name.to_owned(), value.into());
        self
    }

    /// Sets a secret value.
    pub fn with_secret(mut self, name: &str, value: Secret) -> Self {
        self.secrets.insert(name.to_owned(), value);
        self
    }

    /// Turns a switch on.
    pub fn with_flag(mut self, name: &str) -> Self {
        self.flags.insert(name.to_owned());
        self
    }

    /// A value, if given (empty counts as not given).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A value that must be given.
    pub fn required_value(&self, name: &str) -> Result<&str, ServiceError> {
        self.value(name).ok_or_else(|| self.missing(name))
    }

    /// A secret, if given.
    pub fn secret(&self, name: &str) -> Option<&Secret> {
        self.secrets.get(name).filter(|s| !s.expose().is_empty())
    }

    /// A secret that must be given.
    pub fn required_secret(&self, name: &str) -> Result<&Secret, ServiceError> {
        self.secret(name).ok_or_else(|| self.missing(name))
    }

    /// Whether a switch is on.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(name)
    }

    /// Whether to open a browser for addresses (`--no-browser` turns it off).
    pub fn open_browser(&self) -> bool {
        !self.flag("no-browser")
    }

    /// A port value, checked.
    pub fn port(&self, name: &str) -> Result<Option<u16>, ServiceError> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v.parse::<u16>().map(Some).map_err(|_| {
                ServiceError::new(
                    ErrorKind::InvalidInput,
                    self.service.display_name(),
                    "signing in",
                    format!("--{name} must be a port number (1-65535), not `{v}`"),
                )
            }),
        }
    }

    fn missing(&self, name: &str) -> ServiceError {
        ServiceError::new(
            ErrorKind::InvalidInput,
            self.service.display_name(),
            "signing in",
            format!("--{name} is required"),
        )
        .with_hint(format!(
            "see `musync accounts add {} --help`",
            self.service.as_str()
        ))
    }
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be personal; secrets never printed at all.
        f.debug_struct("SignInRequest")
            .field("service", &self.service)
            .field("values", &self.values.keys().collect::<Vec<_>>())
            .field("secrets", &self.secrets.keys().collect::<Vec<_>>())
            .field("flags", &self.flags)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: ServiceKind = ServiceKind::new("demo", "Demo");

    #[test]
    fn a_request_hands_out_values_secrets_and_flags_by_name() {
        let req = SignInRequest::new(KIND, Box::new(|_| {}))
            .with_value("user", " bob ")
            .with_value("url", "")
            .with_secret("password", Secret::new("hunter2"))
            .with_flag("no-browser");
        assert_eq!(req.value("user"), Some("bob"));
        assert_eq!(req.value("url"), None, "empty is not given");
        assert_eq!(req.required_secret("password").unwrap().expose(), "hunter2");
        assert!(!req.open_browser());
        let err = req.required_value("url").unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput);
        assert!(err.to_string().contains("--url is required"), "{err}");
        assert!(!format!("{req:?}").contains("hunter2"));
    }

    #[test]
    fn a_bad_port_is_named() {
        let req = SignInRequest::new(KIND, Box::new(|_| {})).with_value("port", "80000");
        let err = req.port("port").unwrap_err();
        assert!(
            err.to_string().contains("--port must be a port number"),
            "{err}"
        );
    }
}
